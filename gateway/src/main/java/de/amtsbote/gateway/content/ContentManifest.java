package de.amtsbote.gateway.content;

import de.amtsbote.crypto.content.ContentDigester;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a message consists of, as digests: subject, body and each attachment. Its SHA-256 is the message's
 * content digest in evidence, so a holder of the original files can show, without the gateway, that they are the
 * ones the evidence speaks of (docs/evidence.md describes the format):
 *
 * <pre>
 * amtsbote content manifest 1
 * subject &lt;sha256 of the subject in UTF-8&gt;
 * body &lt;sha256&gt; &lt;size&gt;
 * attachment &lt;sha256&gt; &lt;size&gt; &lt;media type&gt; &lt;file name, percent-encoded UTF-8&gt;
 * </pre>
 */
public record ContentManifest(String subject, StoredContent body, List<Entry> attachments) {

    public ContentManifest {
        attachments = List.copyOf(attachments);
    }

    /** One attachment as it appears in the manifest. */
    public record Entry(String fileName, String mediaType, long size, String sha256) {
    }

    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("amtsbote content manifest 1");
        lines.add("subject " + ContentDigester.hexOf(subject.getBytes(StandardCharsets.UTF_8)));
        lines.add("body " + body.sha256() + " " + body.size());
        for (Entry a : attachments) {
            lines.add("attachment " + a.sha256() + " " + a.size() + " " + a.mediaType() + " "
                    + URLEncoder.encode(a.fileName(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("\n", lines) + "\n";
    }

    public String digest() {
        return ContentDigester.hexOf(text().getBytes(StandardCharsets.UTF_8));
    }

    public long totalBytes() {
        return body.size() + attachments.stream().mapToLong(Entry::size).sum();
    }
}
