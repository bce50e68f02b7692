package de.amtsbote.gateway.inbox;

import java.time.Instant;
import java.util.List;

/** A received message as the API shows it. */
public record InboxMessage(
        String id,
        String participant,
        String channel,
        String from,
        String to,
        String subject,
        Instant receivedAt,
        boolean receiptWanted,
        Signature signature,
        List<Attachment> attachments,
        Instant acknowledgedAt,
        String acknowledgedBy) {

    /** What the signature check found (see {@link de.amtsbote.spi.SignatureCheck}). */
    public record Signature(String status, String signer, String certificateStatus, List<String> algorithms,
                            List<String> warnings) {
    }

    /** One attachment; {@code index} addresses it in {@code /inbox/{id}/attachments/{index}}. */
    public record Attachment(int index, String fileName, String mediaType, long size, String sha256) {
    }
}
