package de.amtsbote.crypto.policy;

import java.util.Objects;

/**
 * What the policy allowed, and under which table. A decision with a {@link #flag()} is an accepted legacy use or a
 * peer exception: results carry the flag so that the inbox, the evidence and the console show it.
 *
 * @param subject what was checked ("SHA-256", "RSA 2048 bit", "brainpoolP256r1")
 * @param status  {@link Status#ALLOWED} or {@link Status#LEGACY_INBOUND}; refusals are exceptions, never decisions
 * @param flag    null when clean; else a sentence for a person ("RSA PKCS#1 v1.5 signature accepted as legacy")
 */
public record Decision(String subject, Status status, String flag) {
    public Decision {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        if (status == Status.REFUSED) {
            throw new IllegalArgumentException("a refusal is a PolicyViolationException, not a decision");
        }
    }

    public boolean flagged() {
        return flag != null;
    }

    static Decision clean(String subject) {
        return new Decision(subject, Status.ALLOWED, null);
    }
}
