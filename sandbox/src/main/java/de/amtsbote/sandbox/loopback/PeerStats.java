package de.amtsbote.sandbox.loopback;

import java.util.Map;

/**
 * Counts over all message deliveries the peer's log holds ({@code GET /control/stats}).
 *
 * @param requests   every {@code POST /mailboxes/{mailbox}/messages}, whatever its answer
 * @param unique     deliveries taken as new (answered 201): the number of distinct delivery ids
 * @param duplicates deliveries recognised as already received (answered 200); with no rejected requests this is
 *                   {@code requests - unique - faults}
 * @param byNode     requests per gateway node ({@code X-Node})
 * @param faults     requests answered with an injected fault
 */
public record PeerStats(long requests, long unique, long duplicates, Map<String, Long> byNode, long faults) {
    public PeerStats {
        byNode = Map.copyOf(byNode);
    }
}
