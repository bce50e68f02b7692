package de.amtsbote.sandbox.mail;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One mail peer: an outside party with a mailbox on the sandbox's mail server and its own key.
 *
 * @param address      the mailbox address, also the IMAP login ({@code poststelle@viernheim.example})
 * @param name         the display name in the {@code From} of what the peer sends ({@code Stadt Viernheim})
 * @param password     the IMAP password, so anyone can look at the mailbox with a mail client or {@code curl}
 * @param certificate  a PEM file with the peer's certificate first, then its chain (for signing and decryption:
 *                     one key for both, as many partners' S/MIME certificates are)
 * @param key          a PEM file with the peer's unencrypted private key (PKCS#8): sandbox material only
 * @param receipts     when the peer answers a request for a disposition notification
 * @param signReceipts true (the default): MDNs go out S/MIME-signed with the peer's key; false: unsigned, the weak
 *                     evidence the gateway must record as such
 * @param essReceipts  whether the peer answers an ESS receipt request (RFC 2634) with a signed receipt
 */
public record MailPeerConfig(String address, String name, String password, Path certificate, Path key,
                             ReceiptMode receipts, boolean signReceipts, boolean essReceipts) {

    /** Local part and domain without anything a header could be broken with; lower case, as the peers compare. */
    static final Pattern ADDRESS = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[a-z0-9-]+(\\.[a-z0-9-]+)+");

    public MailPeerConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(certificate, "certificate of " + address);
        Objects.requireNonNull(key, "key of " + address);
        Objects.requireNonNull(receipts, "receipts");
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("a mail peer's address must be a lower-case address like "
                    + "poststelle@viernheim.example, not '" + address + "'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the IMAP password of " + address + " must not be empty");
        }
        if (name.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("the name of " + address + " must be one line");
        }
    }

    public static Builder builder(String address) {
        return new Builder(address);
    }

    /** The part after the '@', used for Message-IDs and the Reporting-UA. */
    public String domain() {
        return address.substring(address.indexOf('@') + 1);
    }

    /** Builds a {@link MailPeerConfig}; defaults: name = address, receipts at once, signed MDNs, no ESS receipts. */
    public static final class Builder {
        private final String address;
        private String name;
        private String password;
        private Path certificate;
        private Path key;
        private ReceiptMode receipts = ReceiptMode.atOnce();
        private boolean signReceipts = true;
        private boolean essReceipts;

        private Builder(String address) {
            this.address = address == null ? null : address.trim().toLowerCase(Locale.ROOT);
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The certificate chain PEM, leaf first. */
        public Builder certificate(Path certificate) {
            this.certificate = certificate;
            return this;
        }

        /** The PKCS#8 private key PEM. */
        public Builder key(Path key) {
            this.key = key;
            return this;
        }

        public Builder receipts(ReceiptMode receipts) {
            this.receipts = receipts;
            return this;
        }

        public Builder signReceipts(boolean signReceipts) {
            this.signReceipts = signReceipts;
            return this;
        }

        public Builder essReceipts(boolean essReceipts) {
            this.essReceipts = essReceipts;
            return this;
        }

        public MailPeerConfig build() {
            return new MailPeerConfig(address, name == null ? address : name, password, certificate, key, receipts,
                    signReceipts, essReceipts);
        }
    }
}
