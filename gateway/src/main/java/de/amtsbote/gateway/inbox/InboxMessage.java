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
        String acknowledgedBy,
        List<Proof> proofs) {

    /** What the signature check found (see {@link de.amtsbote.spi.SignatureCheck}). */
    public record Signature(String status, String signer, String certificateStatus, List<String> algorithms,
                            List<String> warnings) {
    }

    /**
     * A transport's proof about this message (De-Mail Eingangs- or Abholbestätigung), oldest stored first;
     * {@code index} addresses it verbatim in {@code /inbox/{id}/proofs/{index}}.
     *
     * @param event     DELIVERED (put into the gateway's mailbox) or RETRIEVED (taken from it)
     * @param time      when that happened, by the issuer's signed account
     * @param assurance who vouches for it ({@link de.amtsbote.spi.Assurance})
     */
    public record Proof(int index, String event, Instant time, String assurance, String mediaType) {
    }

    /** One attachment; {@code index} addresses it in {@code /inbox/{id}/attachments/{index}}. */
    public record Attachment(int index, String fileName, String mediaType, long size, String sha256) {
    }
}
