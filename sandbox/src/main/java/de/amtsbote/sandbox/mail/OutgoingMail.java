package de.amtsbote.sandbox.mail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A mail a peer sends to a gateway participant through the gateway's inbound SMTP listener: by default signed with
 * the peer's key and encrypted for the participant's certificate (sign-then-encrypt, as the wire contract describes
 * for the gateway's own mail).
 *
 * @param to                   the participant's S/MIME address at the gateway
 * @param recipientCertificate a PEM file with the participant's encryption certificate (its chain may follow); needed
 *                             when {@code encrypt}
 * @param subject              the subject (any text; written RFC 2047 encoded, one line)
 * @param body                 the text body
 * @param attachments          files attached as they are, in this order
 * @param reference            an optional file reference, sent as {@code X-Amtsbote-Reference}
 * @param requestMdn           whether to ask for disposition notifications ({@code Disposition-Notification-To})
 * @param requestEssReceipt    whether the signature asks for an ESS signed receipt (needs {@code sign})
 * @param sign                 whether to sign (multipart/signed)
 * @param encrypt              whether to encrypt (application/pkcs7-mime)
 */
public record OutgoingMail(String to, Path recipientCertificate, String subject, String body, List<Path> attachments,
                           String reference, boolean requestMdn, boolean requestEssReceipt, boolean sign,
                           boolean encrypt) {

    public OutgoingMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        attachments = List.copyOf(attachments);
        to = to.trim().toLowerCase(Locale.ROOT);
        if (!MailPeerConfig.ADDRESS.matcher(to).matches()) {
            throw new IllegalArgumentException("'" + to + "' is not an address a peer sends to");
        }
        if (encrypt && recipientCertificate == null) {
            throw new IllegalArgumentException("an encrypted mail to " + to + " needs the recipient's certificate");
        }
        if (requestEssReceipt && !sign) {
            throw new IllegalArgumentException("an ESS receipt request is part of the signature: an unsigned mail "
                    + "cannot carry one");
        }
    }

    /** Starts a mail to a gateway participant's address. */
    public static Builder to(String address) {
        return new Builder(address);
    }

    /** Builds an {@link OutgoingMail}; signed and encrypted unless told otherwise, no receipts asked for. */
    public static final class Builder {
        private final String to;
        private Path recipientCertificate;
        private String subject = "";
        private String body = "";
        private final List<Path> attachments = new ArrayList<>();
        private String reference;
        private boolean requestMdn;
        private boolean requestEssReceipt;
        private boolean sign = true;
        private boolean encrypt = true;

        private Builder(String to) {
            this.to = to;
        }

        public Builder recipientCertificate(Path pemFile) {
            this.recipientCertificate = pemFile;
            return this;
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
            attachments.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        /** Asks for MDNs: {@code Disposition-Notification-To: <the peer's address>}. */
        public Builder requestMdn() {
            this.requestMdn = true;
            return this;
        }

        /** Asks for an ESS signed receipt in the signature. */
        public Builder requestEssReceipt() {
            this.requestEssReceipt = true;
            return this;
        }

        public Builder unsigned() {
            this.sign = false;
            return this;
        }

        public Builder unencrypted() {
            this.encrypt = false;
            return this;
        }

        public OutgoingMail build() {
            return new OutgoingMail(to, recipientCertificate, subject, body, attachments, reference, requestMdn,
                    requestEssReceipt, sign, encrypt);
        }
    }
}
