package de.amtsbote.gateway.evidence;

import de.amtsbote.spi.TransportProof;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The facts of one evidence event, before they are written as XML. Optional facts are null.
 *
 * @param id                 the evidence id
 * @param event              what happened
 * @param time               when the gateway recorded it
 * @param messageId          the message (outbound) or inbox message (inbound) it is about
 * @param deliveryId         the delivery, for per-recipient events
 * @param sender             the sending participant (outbound) or the sender's channel address (inbound)
 * @param recipients         the recipients' channel addresses
 * @param channel            the channel
 * @param stateFrom          the delivery state before
 * @param stateTo            the delivery state after
 * @param attempt            the dispatch attempt number
 * @param node               the gateway node that recorded it
 * @param reason             why (failures, expiry, late receipts)
 * @param contentDigest      SHA-256 of the message's content manifest
 * @param reference          the sender's file reference
 * @param transportReference the channel's id of the message
 * @param issuerTime         the time the proof's issuer states, which is authoritative over {@code time}
 * @param proof              the transport's proof, kept verbatim
 * @param previous           SHA-256 of the previous evidence document in this delivery's chain
 */
public record EvidenceDocument(
        String id,
        EvidenceEvent event,
        Instant time,
        String messageId,
        String deliveryId,
        String sender,
        List<String> recipients,
        String channel,
        String stateFrom,
        String stateTo,
        Integer attempt,
        String node,
        String reason,
        String contentDigest,
        String reference,
        String transportReference,
        Instant issuerTime,
        TransportProof proof,
        String previous) {

    public EvidenceDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(messageId, "messageId");
        recipients = List.copyOf(recipients);
    }
}
