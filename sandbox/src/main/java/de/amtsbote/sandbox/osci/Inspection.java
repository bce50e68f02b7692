package de.amtsbote.sandbox.osci;

import de.amtsbote.crypto.validation.ValidationResult;
import java.time.Instant;

/**
 * One certificate check of the intermediary, as the process card's InspectionReport states it (contract section 5).
 *
 * @param certType   ClientSignature, Origin or Encryption
 * @param math       ok or corrupted (the signature made with it verified)
 * @param offline    valid or invalid (path, validity period, key usage)
 * @param online     valid, revoked or unknown (not checkable: the certificate names no OCSP responder or CRL, or
 *                   none answered)
 * @param onlineType OCSP, CRL, or none when nothing was asked
 */
record Inspection(Instant timestamp, String subject, String certType, String math, String offline, String online,
                  String onlineType, String detail) {

    static Inspection of(ValidationResult r, String subject, String certType, boolean mathOk) {
        ValidationResult.Reason reason = r.reason();
        boolean offlineOk = reason == null || reason == ValidationResult.Reason.REVOKED
                || reason == ValidationResult.Reason.REVOCATION_UNAVAILABLE
                || reason == ValidationResult.Reason.STALE_CRL;
        String source = r.revocation() == null ? "" : r.revocation();
        // the validator names where the status came from; "unavailable (soft-fail)", "stale …" or "none" mean that
        // nothing answered or nothing was asked: not checkable
        boolean answered = !source.isEmpty() && !source.contains("unavailable") && !source.contains("stale")
                && !source.startsWith("none") && !source.startsWith("not applicable");
        String online;
        if (reason == ValidationResult.Reason.REVOKED) {
            online = "revoked";
        } else if (reason == null && answered) {
            online = "valid";
        } else {
            online = "unknown";
        }
        String type = !answered && reason != ValidationResult.Reason.REVOKED ? "none"
                : source.contains("CRL") ? "CRL" : "OCSP";
        return new Inspection(r.checkedAt(), subject, certType, mathOk ? "ok" : "corrupted",
                offlineOk ? "valid" : "invalid", online, type, r.detail());
    }
}
