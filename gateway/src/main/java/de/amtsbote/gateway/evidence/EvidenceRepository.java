package de.amtsbote.gateway.evidence;

import de.amtsbote.crypto.content.ContentDigester;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Appends evidence rows and reads them back. Rows are never updated or deleted. */
@Repository
public class EvidenceRepository {

    private final JdbcClient jdbc;
    private final EvidenceSeal seal;

    public EvidenceRepository(JdbcClient jdbc, EvidenceSeal seal) {
        this.jdbc = jdbc;
        this.seal = seal;
    }

    /**
     * Writes and signs the document, stores exactly the signed bytes, and returns their digest (the next evidence in
     * the chain links to it).
     */
    public String append(EvidenceDocument document) {
        byte[] xml = seal.seal(document);
        String digest = ContentDigester.hexOf(xml);
        jdbc.sql("""
                insert into evidence (id, message_id, delivery_id, event, state_from, state_to, recipient,
                                      occurred_at, document, digest, previous)
                values (:id, :message, :delivery, :event, :from, :to, :recipient, :at, :document, :digest, :previous)
                """)
                .param("id", document.id())
                .param("message", document.messageId())
                .param("delivery", document.deliveryId())
                .param("event", document.event().standardName())
                .param("from", document.stateFrom())
                .param("to", document.stateTo())
                .param("recipient", document.recipients().size() == 1 ? document.recipients().get(0) : null)
                .param("at", utc(document.time()))
                .param("document", xml)
                .param("digest", digest)
                .param("previous", document.previous())
                .update();
        return digest;
    }

    public List<EvidenceSummary> forMessage(String messageId) {
        return jdbc.sql("""
                select id, event, occurred_at, recipient, delivery_id from evidence
                where message_id = :message order by seq
                """)
                .param("message", messageId)
                .query((rs, i) -> new EvidenceSummary(rs.getString("id"), rs.getString("event"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("recipient"),
                        rs.getString("delivery_id")))
                .list();
    }

    public Optional<StoredEvidence> find(String id) {
        return jdbc.sql("select id, message_id, document from evidence where id = :id")
                .param("id", id)
                .query((rs, i) -> new StoredEvidence(rs.getString("id"), rs.getString("message_id"),
                        rs.getBytes("document")))
                .optional();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** One line of a message's evidence list. */
    public record EvidenceSummary(String id, String event, Instant time, String recipient, String deliveryId) {
    }

    /** One stored evidence document, exactly as written. */
    public record StoredEvidence(String id, String messageId, byte[] document) {
    }
}
