package de.amtsbote.crypto.evidence;

import de.amtsbote.crypto.validation.ValidationResult;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * An evidence document whose signature verified, with the facts read from the signed element only.
 *
 * @param evidenceId the document's EvidenceId
 * @param event      the EventType (EN 319 522 name)
 * @param messageId  the message it is about
 * @param deliveryId the delivery (per-recipient events), or null
 * @param time       the EventTime, at which the signer's certificate was validated
 * @param previous   the SHA-256 (hex) of the previous evidence of the message, or null for the first
 * @param digest     the SHA-256 (hex) of this document's bytes, as the next evidence names it
 * @param signer     the signer's certificate
 * @param validation how the signer's certificate was validated (path, revocation source, flags)
 * @param flags      everything accepted only with a flag (legacy algorithm, revocation not checked)
 */
public record VerifiedEvidence(String evidenceId, String event, String messageId, String deliveryId, Instant time,
                               String previous, String digest, X509Certificate signer, ValidationResult validation,
                               List<String> flags) {

    public VerifiedEvidence {
        flags = List.copyOf(flags);
    }

    /** The signer's subject, as a person reads it. */
    public String signerName() {
        return signer.getSubjectX500Principal().getName();
    }
}
