package de.amtsbote.sandbox.osci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a played mailbox sends: {@code OutgoingDelivery.to(id).subject(..).body(..).attach(path).build()}.
 *
 * @param to          the addressee's mailbox id, looked up in the directory
 * @param subject     the Subject (usage data: the intermediaries read it)
 * @param body        the text of the content container (end-to-end encrypted)
 * @param reference   an optional osci:Reference (Aktenzeichen)
 * @param attachments files, streamed (encrypted into temporary files, then sent as MTOM parts)
 */
public record OutgoingDelivery(String to, String subject, String body, String reference, List<Path> attachments) {

    public OutgoingDelivery {
        Osci.checkMailboxId(to);
        Objects.requireNonNull(subject, "subject");
        body = body == null ? "" : body;
        attachments = List.copyOf(attachments);
        for (Path p : attachments) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("attachment " + p + " is not a readable file");
            }
        }
    }

    public static Builder to(String mailboxId) {
        return new Builder(mailboxId);
    }

    public static final class Builder {
        private final String to;
        private String subject = "";
        private String body = "";
        private String reference;
        private final List<Path> attachments = new ArrayList<>();

        private Builder(String to) {
            this.to = to;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder body(String body) {
            this.body = body;
            return this;
        }

        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        public Builder attach(Path file) {
            attachments.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        public OutgoingDelivery build() {
            return new OutgoingDelivery(to, subject, body, reference, attachments);
        }
    }
}
