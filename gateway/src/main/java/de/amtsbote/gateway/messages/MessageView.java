package de.amtsbote.gateway.messages;

import de.amtsbote.gateway.evidence.EvidenceRepository;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A submitted message as the API shows it: what was sent, where each delivery stands, and its evidence. */
public record MessageView(
        String id,
        String sender,
        String subject,
        String reference,
        Instant acceptedAt,
        String contentDigest,
        long totalBytes,
        Set<String> options,
        List<AttachmentItem> attachments,
        List<DeliveryView> deliveries,
        List<EvidenceItem> evidence) {

    public record AttachmentItem(String fileName, String mediaType, long size, String sha256) {
    }

    /** One line of the evidence list; the document is at {@code /api/v1/evidence/{id}}. */
    public record EvidenceItem(String id, String event, Instant time, String recipient) {
        static EvidenceItem of(EvidenceRepository.EvidenceSummary s) {
            return new EvidenceItem(s.id(), s.event(), s.time(), s.recipient());
        }
    }

    static String optionName(Enum<?> option) {
        return option.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
