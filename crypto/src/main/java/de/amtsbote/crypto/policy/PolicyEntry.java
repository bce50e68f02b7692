package de.amtsbote.crypto.policy;

import java.util.Objects;

/**
 * One row of the policy tables: what the policy says about a thing (an algorithm, a curve, an RSA size) and why.
 *
 * @param subject what the row is about, as a person reads it ("SHA-1", "RSA 2048-3071 bit", "brainpoolP256r1")
 * @param status  the table the row is in
 * @param source  the rule it follows ("BSI TR-02102-1 (2025-01) 4.1: SHA-1 is not collision resistant")
 */
public record PolicyEntry(String subject, Status status, String source) {
    public PolicyEntry {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }
}
