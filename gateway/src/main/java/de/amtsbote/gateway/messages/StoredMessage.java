package de.amtsbote.gateway.messages;

import de.amtsbote.spi.DeliveryOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A message as stored at submission. Content (body, attachments) stays in the content store. */
public record StoredMessage(
        String id,
        String clientId,
        String sender,
        String subject,
        String reference,
        String bodyContentId,
        Set<DeliveryOption> options,
        String contentDigest,
        long totalBytes,
        Instant acceptedAt,
        List<StoredAttachment> attachments) {

    public StoredMessage {
        options = Set.copyOf(options);
        attachments = List.copyOf(attachments);
    }

    /** One attachment: its metadata, and where its content lives. */
    public record StoredAttachment(int position, String fileName, String mediaType, long size, String sha256,
                                   String contentId) {
    }
}
