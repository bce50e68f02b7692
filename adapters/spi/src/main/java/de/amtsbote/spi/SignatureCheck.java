package de.amtsbote.spi;

import java.util.List;
import java.util.Objects;

/**
 * What the adapter found when it checked an inbound message's signature, shown to the client system as is.
 *
 * @param status            the verdict
 * @param signer            the signer's certificate subject, or null if unsigned
 * @param certificateStatus the result of path validation ("valid", "revoked 2026-03-01", "unknown issuer")
 * @param algorithms        the algorithms seen (signature, digest, content encryption)
 * @param warnings          what was accepted only as flagged legacy under the algorithm policy
 */
public record SignatureCheck(Status status, String signer, String certificateStatus, List<String> algorithms,
                             List<String> warnings) {

    public enum Status { VALID, VALID_WITH_WARNINGS, UNSIGNED }

    public SignatureCheck {
        Objects.requireNonNull(status, "status");
        algorithms = List.copyOf(algorithms);
        warnings = List.copyOf(warnings);
    }

    public static SignatureCheck unsigned() {
        return new SignatureCheck(Status.UNSIGNED, null, null, List.of(), List.of());
    }
}
