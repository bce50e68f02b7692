package de.amtsbote.gateway.quarantine;

import java.time.Instant;

/**
 * One step in a quarantined item's history.
 *
 * @param seq       its number within the item, from 1
 * @param at        when
 * @param kind      what happened
 * @param actor     the person (console) or the gateway node
 * @param reason    the check's reason (received, recheck failed), the outcome (released) or the person's (rejected)
 * @param contentId the raw content of a re-arrival whose bytes differed from the item's, else null
 */
public record QuarantineEvent(int seq, Instant at, Kind kind, String actor, String reason, String contentId) {

    public enum Kind {
        /** Quarantined on arrival. */
        RECEIVED,
        /** The same item (channel and transport id) arrived again and failed again. */
        RECEIVED_AGAIN,
        /** An operator's release: the channel checked it again and it still fails. */
        RECHECK_FAILED,
        /** An operator's release: the channel checked it again, it passed and was filed. */
        RELEASED,
        /** An operator rejected it. */
        REJECTED
    }
}
