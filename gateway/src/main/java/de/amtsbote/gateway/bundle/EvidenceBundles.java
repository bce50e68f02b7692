package de.amtsbote.gateway.bundle;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.gateway.certificates.CryptoAccess;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.messages.MessageView;
import de.amtsbote.gateway.messages.MessageViews;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Assembles a message's evidence bundle and writes it as a zip, entry by entry: the evidence documents verbatim in
 * chain order (read one at a time), the evidence key's certificate chain, the content digests, the PDF report and a
 * README. Nothing but one evidence document and the report is held in memory at a time.
 */
@Component
public class EvidenceBundles {

    static final String CERTIFICATES = "certificates/evidence-chain.pem";
    static final String DIGESTS = "content-digests.json";
    static final String REPORT = "zustellnachweis.pdf";
    static final String README = "README.txt";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final MessageViews messages;
    private final EvidenceRepository evidence;
    private final CryptoAccess crypto;
    private final Clock clock;

    EvidenceBundles(MessageViews messages, EvidenceRepository evidence, CryptoAccess crypto, Clock clock) {
        this.messages = messages;
        this.evidence = evidence;
        this.crypto = crypto;
        this.clock = clock;
    }

    /** What goes into the bundle of an outbound message, gathered before the first byte is written; empty if none. */
    public Optional<EvidenceBundle> prepare(String messageId) {
        return messages.view(messageId).map(m -> new EvidenceBundle(m, evidence.forMessage(messageId),
                certificates(), clock.instant()));
    }

    /** Writes the bundle as a zip to {@code out} and finishes the zip; {@code out} is left open. */
    public void write(EvidenceBundle bundle, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        List<BundleEntry> entries = new ArrayList<>();
        int width = Math.max(2, Integer.toString(bundle.evidence().size()).length());
        int n = 0;
        for (EvidenceRepository.EvidenceSummary s : bundle.evidence()) {
            byte[] document = evidence.find(s.id()).orElseThrow(() -> new IllegalStateException(
                    "evidence " + s.id() + " of message " + bundle.message().id() + " vanished")).document();
            String file = "evidence/" + String.format("%0" + width + "d", ++n) + "-" + s.event() + "-" + s.id()
                    + ".xml";
            entry(zip, file, bundle.createdAt(), document);
            entries.add(new BundleEntry(file, EvidenceFacts.read(s.id(), document)));
        }
        Optional<List<X509Certificate>> chain = bundle.certificateChain();
        if (chain.isPresent()) {
            entry(zip, CERTIFICATES, bundle.createdAt(),
                    Pem.encode(chain.get().toArray()).getBytes(StandardCharsets.US_ASCII));
        }
        entry(zip, DIGESTS, bundle.createdAt(), JSON.writeValueAsBytes(digests(bundle.message(), entries)));
        zip.putNextEntry(zipEntry(REPORT, bundle.createdAt()));
        ProofOfDeliveryReport.render(bundle.message(), entries, bundle.certificateChain().isPresent(),
                bundle.createdAt(), zip);
        zip.closeEntry();
        entry(zip, README, bundle.createdAt(), readme(bundle, entries).getBytes(StandardCharsets.UTF_8));
        zip.finish();
        zip.flush();
    }

    private Certificates certificates() {
        if (crypto.crypto().isEmpty()) {
            return Certificates.absent("this installation has no key store (amtsbote.crypto.key-store), so it has"
                    + " no evidence key and no certificate chain to include");
        }
        try {
            return new Certificates(crypto.crypto().get().evidenceCertificates(), null);
        } catch (CryptoException e) {
            return Certificates.absent("the key store has no usable evidence key (owner gateway, purpose EVIDENCE): "
                    + e.getMessage());
        }
    }

    private static Map<String, Object> digests(MessageView m, List<BundleEntry> entries) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("messageId", m.id());
        json.put("algorithm", "SHA-256");
        json.put("contentDigest", m.contentDigest());
        json.put("totalBytes", m.totalBytes());
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (MessageView.AttachmentItem a : m.attachments()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("fileName", a.fileName());
            item.put("mediaType", a.mediaType());
            item.put("size", a.size());
            item.put("sha256", a.sha256());
            attachments.add(item);
        }
        json.put("attachments", attachments);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (BundleEntry e : entries) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("file", e.file());
            item.put("id", e.facts().id());
            item.put("event", e.facts().event());
            item.put("time", ProofOfDeliveryReport.time(e.facts().time()));
            item.put("sha256", e.facts().sha256());
            documents.add(item);
        }
        json.put("evidence", documents);
        return json;
    }

    private static String readme(EvidenceBundle bundle, List<BundleEntry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("Evidence bundle of message ").append(bundle.message().id()).append('\n')
                .append("Created ").append(ProofOfDeliveryReport.time(bundle.createdAt()))
                .append(" by the Amtsbote gateway.\n\n");
        b.append("""
                What is in this bundle

                evidence/NN-<event>-<evidence id>.xml
                    Every evidence document of the message, byte for byte as the gateway stored it, numbered in the
                    order they were recorded. Each names its event (ETSI EN 319 522 names), times, parties, channel,
                    the content digest, the transport's own proof where there is one, and the SHA-256 of the evidence
                    before it (PreviousEvidence): a missing, swapped or changed document breaks that chain.
                    These files are the record; everything else in the bundle is derived from them or helps to
                    check them.
                """);
        b.append('\n').append(CERTIFICATES).append('\n');
        bundle.certificateChain().ifPresentOrElse(
                chain -> b.append("""
                            The certificate chain (PEM, leaf first) of the gateway's evidence key, whose signature
                            the evidence documents carry. Verify it against your own copy of the certificate
                            authority's certificate, not against a certificate from this bundle.
                        """),
                () -> b.append("    Not included: ").append(bundle.certificateNote()).append(".\n    Take the")
                        .append(" evidence key's certificate from the gateway's administrator or from the\n")
                        .append("    signatures of the evidence documents.\n"));
        b.append('\n').append(DIGESTS).append('\n').append("""
                    The message's content digest (SHA-256 of the gateway's content manifest of body and
                    attachments), its size, each attachment's name, media type, size and SHA-256 as stored at
                    submission, and the SHA-256 of each evidence file of this bundle.
                """);
        b.append('\n').append(REPORT).append('\n').append("""
                    "Zustellnachweis" (German: proof of delivery): a readable report in German and English of the
                    message, each recipient's final state and every evidence event with its times, the assurance of
                    its transport proof and its digests.
                """);
        b.append("""

                How to verify without the gateway (ca.pem: your certificate authority's certificate)

                    ./amtsbote verify-evidence evidence/*.xml --trust ca.pem
                    xmlsec1 --verify --trusted-pem ca.pem evidence/<file>.xml
                    sha256sum evidence/*.xml      (compare with content-digests.json and PreviousEvidence)
                """);
        b.append('\n').append(entries.size()).append(" evidence documents.\n");
        return b.toString();
    }

    private static void entry(ZipOutputStream zip, String name, Instant time, byte[] content) throws IOException {
        zip.putNextEntry(zipEntry(name, time));
        zip.write(content);
        zip.closeEntry();
    }

    private static ZipEntry zipEntry(String name, Instant time) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(time.toEpochMilli());
        return e;
    }

    /** The evidence key's chain, or why there is none. */
    public record Certificates(List<X509Certificate> chain, String note) {
        static Certificates absent(String note) {
            return new Certificates(null, note);
        }
    }
}
