package de.amtsbote.sandbox.demail;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A personal or authority mailbox at a provider, operated by the sandbox (its holder "uses the webmail" through
 * {@link DeMailMailbox}). IMAP login is the address.
 *
 * @param address               the De-Mail address (lower case)
 * @param holder                the holder's name ({@code X-de-mail-account-holder} of what it sends)
 * @param password              IMAP password
 * @param closed                a closed account: what is sent to it comes back as a closed-account notification
 * @param publicBody            whether the holder is a public body (may ask for an Abholbestätigung)
 * @param secureLogin           when the holder logs in securely by itself
 * @param encryptionCertificate optional PEM (certificate first, then chain) for end-to-end S/MIME; null for none
 * @param encryptionKey         its PKCS#8 PEM key (signs what the mailbox sends end-to-end, decrypts what it gets)
 */
public record MailboxConfig(String address, String holder, String password, boolean closed, boolean publicBody,
                            SecureLoginTimer secureLogin, Path encryptionCertificate, Path encryptionKey) {

    public MailboxConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(holder, "holder of " + address);
        Objects.requireNonNull(password, "password of " + address);
        Objects.requireNonNull(secureLogin, "secureLogin of " + address);
        if ((encryptionCertificate == null) != (encryptionKey == null)) {
            throw new IllegalArgumentException("mailbox " + address + ": encryption certificate and key come together");
        }
    }

    public static Builder builder(String address) {
        return new Builder(address);
    }

    /** Builds a {@link MailboxConfig}; defaults: holder = address, password "demo", open, secure login never. */
    public static final class Builder {
        private final String address;
        private String holder;
        private String password = "demo";
        private boolean closed;
        private boolean publicBody;
        private SecureLoginTimer secureLogin = SecureLoginTimer.never();
        private Path certificate;
        private Path key;

        private Builder(String address) {
            this.address = address;
        }

        public Builder holder(String holder) {
            this.holder = holder;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder closed(boolean closed) {
            this.closed = closed;
            return this;
        }

        public Builder publicBody(boolean publicBody) {
            this.publicBody = publicBody;
            return this;
        }

        public Builder secureLogin(SecureLoginTimer timer) {
            this.secureLogin = timer;
            return this;
        }

        public Builder encryption(Path certificatePem, Path keyPem) {
            this.certificate = certificatePem;
            this.key = keyPem;
            return this;
        }

        public MailboxConfig build() {
            return new MailboxConfig(address, holder == null ? address : holder, password, closed, publicBody,
                    secureLogin, certificate, key);
        }
    }
}
