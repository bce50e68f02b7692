package de.amtsbote.crypto.policy;

import java.time.LocalDate;
import java.util.Objects;

/**
 * An explicit, configured permission to use a legacy algorithm towards one peer for new messages — the only way
 * AES-CBC or RSA PKCS#1 v1.5 ever leaves the gateway. Refused algorithms can never be excepted. Every use is logged
 * and flagged in the result, and the exception ends on {@code until}, so it cannot be forgotten.
 *
 * @param peer      whom it is for: a participant id or a channel address ("smime:poststelle@alt.example")
 * @param algorithm the legacy algorithm allowed towards that peer
 * @param reason    why, as the security officer wrote it (a ticket, a date of the partner's promise)
 * @param until     the last day it applies
 */
public record PeerException(String peer, Algorithm algorithm, String reason, LocalDate until) {
    public PeerException {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(until, "until");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a peer exception for " + peer + " needs a written reason");
        }
    }
}
