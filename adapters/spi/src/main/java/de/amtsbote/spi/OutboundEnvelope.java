package de.amtsbote.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One delivery of one message to one recipient, as the adapter gets it for {@link ChannelAdapter#dispatch}.
 *
 * @param messageId     the gateway's message id (shared by all recipients of the message)
 * @param deliveryId    the id of this delivery; stable across attempts, so peers can recognise a redelivery
 * @param attempt       1 for the first attempt, then 2, 3, …
 * @param sender        the participant id of the sending authority
 * @param senderAddress the sender's own address on this channel (the From of an e-mail, the sender mailbox)
 * @param recipient     the recipient's address on this channel, as normalised by {@link ChannelAdapter#checkAddress}
 * @param subject       the subject; never contains line breaks (checked at submission)
 * @param body          the body text
 * @param reference     the sender's file reference (Aktenzeichen), or null
 * @param options       the options asked for; all are supported by the channel (checked at submission)
 * @param attachments   the attachments, in submission order
 */
public record OutboundEnvelope(
        String messageId,
        String deliveryId,
        int attempt,
        String sender,
        ChannelAddress senderAddress,
        ChannelAddress recipient,
        String subject,
        ContentSource body,
        String reference,
        Set<DeliveryOption> options,
        List<OutboundAttachment> attachments) {

    public OutboundEnvelope {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(senderAddress, "senderAddress");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        options = Set.copyOf(options);
        attachments = List.copyOf(attachments);
    }
}
