package de.amtsbote.sandbox.demail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A De-Mail a sandbox mailbox sends "from its webmail" ({@link DeMailMailbox#send}): one recipient, subject, text,
 * attachments, the send options, and optionally end-to-end S/MIME for the recipient's certificate.
 *
 * @param to                    the recipient's De-Mail address
 * @param subject               the subject
 * @param body                  the text
 * @param attachments           files sent as attachments (streamed)
 * @param privateId             the sender's own correlation id ({@code X-de-mail-private-id}), or null
 * @param personal              persönlich ({@code X-de-mail-private})
 * @param authoritative         absenderbestätigt: the provider signs ({@code X-de-mail-authoritative})
 * @param dispatchConfirmation  ask for a Versandbestätigung
 * @param receiptConfirmation   ask for an Eingangsbestätigung
 * @param retrieveConfirmation  ask for an Abholbestätigung (implies persönlich; only public bodies)
 * @param recipientCertificate  PEM of the recipient's encryption certificate (then its chain): the content is
 *                              signed with the mailbox's key and encrypted (AES-256-GCM) for it; null: plain
 */
public record OutgoingDeMail(String to, String subject, String body, List<Path> attachments, String privateId,
                             boolean personal, boolean authoritative, boolean dispatchConfirmation,
                             boolean receiptConfirmation, boolean retrieveConfirmation, Path recipientCertificate) {

    public OutgoingDeMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        body = body == null ? "" : body;
        attachments = List.copyOf(attachments);
    }

    public static Builder to(String address) {
        return new Builder(address);
    }

    /** Builds an {@link OutgoingDeMail}; by default no options, no attachments, not end-to-end encrypted. */
    public static final class Builder {
        private final String to;
        private String subject = "";
        private String body = "";
        private final List<Path> attachments = new ArrayList<>();
        private String privateId;
        private boolean personal;
        private boolean authoritative;
        private boolean dispatch;
        private boolean receipt;
        private boolean retrieve;
        private Path recipientCertificate;

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

        public Builder attach(Path file) {
            attachments.add(file);
            return this;
        }

        public Builder privateId(String privateId) {
            this.privateId = privateId;
            return this;
        }

        public Builder personal() {
            this.personal = true;
            return this;
        }

        public Builder authoritative() {
            this.authoritative = true;
            return this;
        }

        public Builder dispatchConfirmation() {
            this.dispatch = true;
            return this;
        }

        public Builder receiptConfirmation() {
            this.receipt = true;
            return this;
        }

        /** Asks for an Abholbestätigung, and so also sets persönlich. */
        public Builder retrieveConfirmation() {
            this.retrieve = true;
            this.personal = true;
            return this;
        }

        public Builder encryptFor(Path recipientCertificatePem) {
            this.recipientCertificate = recipientCertificatePem;
            return this;
        }

        public OutgoingDeMail build() {
            return new OutgoingDeMail(to, subject, body, attachments, privateId, personal, authoritative, dispatch,
                    receipt, retrieve, recipientCertificate);
        }
    }
}
