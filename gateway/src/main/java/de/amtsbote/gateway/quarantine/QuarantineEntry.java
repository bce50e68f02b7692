package de.amtsbote.gateway.quarantine;

import java.time.Instant;
import java.util.List;

/**
 * A quarantined item as stored. {@code sender} and {@code subject} come from the raw item's headers and are untrusted
 * text for display only (shortened, control characters replaced); null when they could not be read.
 *
 * @param reason         why it is quarantined: the latest check's reason
 * @param lastReceivedAt when the same item last arrived again, or null
 * @param deliveredTo    what the transport delivered it to (SMTP envelope, mailbox), handed back on a recheck
 * @param inboxIds       the inbox messages it became when released (several for a mail to several participants)
 */
public record QuarantineEntry(String id, String channel, String transportId, String reason, Instant receivedAt,
                              Instant lastReceivedAt, String contentId, long size, String sha256,
                              QuarantineStatus status, QuarantineOrigin origin, List<String> deliveredTo,
                              String sender, String subject, Instant decidedAt, String decidedBy,
                              String decisionReason, List<String> inboxIds, int recheckAttempts,
                              Instant lastRecheckAt, String lastRecheckReason) {

    public QuarantineEntry {
        deliveredTo = List.copyOf(deliveredTo);
        inboxIds = List.copyOf(inboxIds);
    }

    public boolean open() {
        return status == QuarantineStatus.OPEN;
    }

    /** Whether its channel can check it again (it was handed in by the channel as received). */
    public boolean recheckable() {
        return origin == QuarantineOrigin.CHANNEL;
    }
}
