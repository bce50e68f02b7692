package de.amtsbote.sandbox.demail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An institutional account at a provider (the gateway is one): it logs in to SMTP submission with a TLS client
 * certificate, registered by SHA-256 fingerprint or as a PEM file, and owns De-Mail addresses. Each of its addresses
 * also gets an IMAP mailbox (login = the address, password = {@link #password}).
 *
 * @param id                  a name for logs ({@code amtsbote-gateway})
 * @param holder              the account holder's name ({@code X-de-mail-account-holder})
 * @param publicBody          whether the holder is a public body (öffentliche Stelle): only they may ask for an
 *                            Abholbestätigung
 * @param clientFingerprints  SHA-256 fingerprints of its TLS client certificates, lower-case hex without colons
 * @param clientCertificates  PEM files of its TLS client certificates (first certificate of each file)
 * @param addresses           its De-Mail addresses (lower case)
 * @param password            the IMAP password of its addresses' mailboxes
 */
public record AccountConfig(String id, String holder, boolean publicBody, List<String> clientFingerprints,
                            List<Path> clientCertificates, List<String> addresses, String password) {

    public AccountConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(holder, "holder of account " + id);
        Objects.requireNonNull(password, "password of account " + id);
        clientFingerprints = clientFingerprints.stream().map(AccountConfig::normalise).toList();
        clientCertificates = List.copyOf(clientCertificates);
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("account " + id + " needs at least one De-Mail address");
        }
        if (clientFingerprints.isEmpty() && clientCertificates.isEmpty()) {
            throw new IllegalArgumentException("account " + id + " needs a TLS client certificate (fingerprint or PEM)");
        }
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** "AB:CD:…" or "abcd…" → "abcd…"; anything but 64 hex digits is refused. */
    static String normalise(String fingerprint) {
        String f = fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
        if (f.length() != 64 || !f.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + fingerprint + "' is not a SHA-256 fingerprint (64 hex digits)");
        }
        HexFormat.of().parseHex(f);
        return f;
    }

    /** Builds an {@link AccountConfig}; defaults: holder = id, not a public body, password "demo". */
    public static final class Builder {
        private final String id;
        private String holder;
        private boolean publicBody;
        private final List<String> fingerprints = new ArrayList<>();
        private final List<Path> certificates = new ArrayList<>();
        private final List<String> addresses = new ArrayList<>();
        private String password = "demo";

        private Builder(String id) {
            this.id = id;
        }

        public Builder holder(String holder) {
            this.holder = holder;
            return this;
        }

        public Builder publicBody(boolean publicBody) {
            this.publicBody = publicBody;
            return this;
        }

        /** A TLS client certificate by its SHA-256 fingerprint. */
        public Builder clientFingerprint(String sha256) {
            fingerprints.add(sha256);
            return this;
        }

        /** A TLS client certificate as a PEM file. */
        public Builder clientCertificate(Path pem) {
            certificates.add(pem);
            return this;
        }

        public Builder address(String address) {
            addresses.add(address);
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public AccountConfig build() {
            return new AccountConfig(id, holder == null ? id : holder, publicBody, fingerprints, certificates,
                    addresses, password);
        }
    }
}
