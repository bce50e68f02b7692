package de.amtsbote.gateway.certificates;

import java.time.Instant;

/**
 * A partner's encryption certificate as the inventory shows it.
 *
 * @param address     the channel address it is for ({@code smime:poststelle@viernheim.example})
 * @param participant the participant id the address belongs to, or null for an address no participant has
 * @param source      where it came from
 * @param subject     the certificate's subject (RFC 2253)
 * @param issuer      its issuer
 * @param serial      its serial number, hex
 * @param fingerprint its SHA-256 fingerprint, hex
 * @param notBefore   validity start
 * @param notAfter    validity end
 * @param firstSeen   when it was learned or imported (null for configured ones)
 * @param lastSeen    when it was last seen on a message or imported (null for configured ones)
 * @param importedBy  who imported it (a console user or client system), else null
 * @param current     whether the channels use this one for the address now (a configured one, else the imported
 *                    or most recently seen valid one; the last one to expire if all have)
 * @param status      the certificate's status
 * @param daysLeft    whole days until {@code notAfter}, negative once expired
 * @param lastCheck   the last revocation check, or null
 */
public record PartnerCertificate(String address, String participant, Source source, String subject, String issuer,
                                 String serial, String fingerprint, Instant notBefore, Instant notAfter,
                                 Instant firstSeen, Instant lastSeen, String importedBy, boolean current,
                                 CertificateStatus status, long daysLeft, RevocationCheck lastCheck) {

    /** How the gateway came to know a partner certificate. */
    public enum Source {
        /** {@code amtsbote.participants[].certificates}: always wins for its address. */
        CONFIGURED,
        /** Imported by a security officer (console or API): wins over learned ones. */
        IMPORTED,
        /** Learned from a verified signed message of the partner (docs/crypto.md, the learning rule). */
        LEARNED
    }
}
