package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.validation.TrustAnchorCandidate;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate authority the gateway trusts (or trusted): from a file named in {@code amtsbote.crypto.trust-anchors}
 * ({@link Source#CONFIGURATION}: read at start, changed only there), or added at run time by a security officer
 * ({@link Source#MANAGED}: stored in the database with who added it, when and why, and kept after its removal).
 *
 * @param fingerprint SHA-256 of the certificate's DER encoding, lower-case hex
 * @param file        the configuration file it came from; null for a managed anchor
 * @param added       who added a managed anchor; null for a configured one
 * @param removed     who removed a managed anchor; null while it is in force
 */
public record TrustAnchor(String fingerprint, X509Certificate certificate, Source source, Path file, Change added,
                          Change removed) {

    /** Where an anchor comes from. */
    public enum Source { CONFIGURATION, MANAGED }

    /** Through which door a person or system changed the anchors. */
    public enum Via { CONSOLE, API }

    /** An addition or removal: when, by whom (a console user name or a client system id), through which door, why. */
    public record Change(Instant at, String by, Via via, String reason) {
        public Change {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(via, "via");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public TrustAnchor {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(source, "source");
    }

    static TrustAnchor configured(Path file, X509Certificate certificate) {
        return new TrustAnchor(TrustAnchorCandidate.fingerprint(certificate), certificate, Source.CONFIGURATION, file,
                null, null);
    }

    /** The subject as RFC 2253 text ("CN=Verwaltungs-PKI Root,O=…,C=DE"). */
    public String subject() {
        return TrustAnchorCandidate.subject(certificate);
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** Whole days until the certificate expires (negative once expired). */
    public long daysLeft(Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter()).toSeconds(), 86_400L);
    }

    public boolean inForce() {
        return removed == null;
    }

    /** A configured anchor cannot be removed at run time: its file is read at every start. */
    public boolean removable() {
        return source == Source.MANAGED && inForce();
    }

    public String pem() {
        return Pem.encode(certificate);
    }
}
