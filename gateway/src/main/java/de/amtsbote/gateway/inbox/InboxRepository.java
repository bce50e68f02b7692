package de.amtsbote.gateway.inbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Received messages and their attachments. */
@Repository
public class InboxRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    InboxRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(NewInbound m, String evidenceHead) {
        jdbc.sql("""
                insert into inbox_message (id, participant, channel, transport_id, from_address, to_address, subject,
                                           body_content_id, received_at, receipt_wanted, signature, evidence_head)
                values (:id, :participant, :channel, :transport, :from, :to, :subject, :body, :received, :wanted,
                        :signature, :head)
                """)
                .param("id", m.id()).param("participant", m.participant()).param("channel", m.channel())
                .param("transport", m.transportId()).param("from", m.from()).param("to", m.to())
                .param("subject", m.subject()).param("body", m.bodyContentId())
                .param("received", m.receivedAt().atOffset(ZoneOffset.UTC)).param("wanted", m.receiptWanted())
                .param("signature", json.writeValueAsString(m.signature()))
                .param("head", evidenceHead)
                .update();
        for (NewInbound.Part p : m.parts()) {
            jdbc.sql("""
                    insert into inbox_attachment (inbox_id, position, file_name, media_type, content_id)
                    values (:inbox, :position, :name, :type, :content)
                    """)
                    .param("inbox", m.id()).param("position", p.index()).param("name", p.fileName())
                    .param("type", p.mediaType()).param("content", p.contentId())
                    .update();
        }
    }

    /** A page of messages for the given participants, newest first, after the cursor if one is given. */
    List<InboxMessage> page(Collection<String> participants, boolean unacknowledgedOnly, Cursor after, int limit) {
        if (participants.isEmpty()) {
            return List.of();
        }
        String sql = "select id from inbox_message where participant in (:participants)"
                + (unacknowledgedOnly ? " and acked_at is null" : "")
                + (after != null ? " and (received_at < :at or (received_at = :at and id < :id))" : "")
                + " order by received_at desc, id desc limit :limit";
        JdbcClient.StatementSpec spec = jdbc.sql(sql).param("participants", participants).param("limit", limit);
        if (after != null) {
            spec = spec.param("at", after.receivedAt().atOffset(ZoneOffset.UTC)).param("id", after.id());
        }
        return spec.query(String.class).list().stream().map(this::find).flatMap(Optional::stream).toList();
    }

    Optional<InboxMessage> find(String id) {
        List<InboxMessage.Proof> proofs = jdbc.sql("""
                select p.event, p.issued_at, p.assurance, p.media_type
                from inbound_proof p join inbox_message m on m.channel = p.channel and m.transport_id = p.transport_id
                where m.id = :id order by p.seq
                """)
                .param("id", id)
                .query((rs, i) -> new InboxMessage.Proof(i, rs.getString("event"),
                        rs.getObject("issued_at", OffsetDateTime.class).toInstant(), rs.getString("assurance"),
                        rs.getString("media_type")))
                .list();
        List<InboxMessage.Attachment> attachments = jdbc.sql("""
                select a.position, a.file_name, a.media_type, c.size, c.sha256
                from inbox_attachment a join content c on c.id = a.content_id
                where a.inbox_id = :id order by a.position
                """)
                .param("id", id)
                .query((rs, i) -> new InboxMessage.Attachment(rs.getInt("position"), rs.getString("file_name"),
                        rs.getString("media_type"), rs.getLong("size"), rs.getString("sha256")))
                .list();
        return jdbc.sql("""
                select id, participant, channel, from_address, to_address, subject, received_at, receipt_wanted,
                       signature, acked_at, acked_by
                from inbox_message where id = :id
                """)
                .param("id", id)
                .query((rs, i) -> new InboxMessage(rs.getString("id"), rs.getString("participant"),
                        rs.getString("channel"), rs.getString("from_address"), rs.getString("to_address"),
                        rs.getString("subject"), rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                        rs.getBoolean("receipt_wanted"),
                        json.readValue(rs.getString("signature"), InboxMessage.Signature.class), attachments,
                        rs.getObject("acked_at", OffsetDateTime.class) == null ? null
                                : rs.getObject("acked_at", OffsetDateTime.class).toInstant(),
                        rs.getString("acked_by"), proofs))
                .optional();
    }

    /**
     * Keeps a proof about a received message; false if this very proof (same digest) was kept before. Runs on its
     * own (no surrounding transaction), so that a concurrent duplicate's failed insert aborts nothing else.
     */
    boolean insertProof(NewProof p) {
        if (jdbc.sql("select count(*) from inbound_proof where digest = :digest").param("digest", p.digest())
                .query(Long.class).single() > 0) {
            return false;
        }
        try {
            jdbc.sql("""
                    insert into inbound_proof (channel, transport_id, event, issued_at, media_type, assurance, proof,
                                               received_at, digest)
                    values (:channel, :transport, :event, :issued, :type, :assurance, :proof, :received, :digest)
                    """)
                    .param("channel", p.channel()).param("transport", p.transportId()).param("event", p.event())
                    .param("issued", p.issuedAt().atOffset(ZoneOffset.UTC)).param("type", p.mediaType())
                    .param("assurance", p.assurance()).param("proof", p.content())
                    .param("received", p.receivedAt().atOffset(ZoneOffset.UTC)).param("digest", p.digest())
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false; // another node kept the same proof a moment ago
        }
    }

    /** Proof {@code index} (in the order of {@link InboxMessage#proofs()}) of a received message, verbatim. */
    Optional<ProofContent> proofContent(String inboxId, int index) {
        if (index < 0) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select p.media_type, p.proof
                from inbound_proof p join inbox_message m on m.channel = p.channel and m.transport_id = p.transport_id
                where m.id = :id order by p.seq limit 1 offset :index
                """)
                .param("id", inboxId).param("index", index)
                .query((rs, i) -> new ProofContent(rs.getString("media_type"), rs.getBytes("proof")))
                .optional();
    }

    /** The content id of attachment {@code index}. */
    Optional<String> attachmentContent(String inboxId, int index) {
        return jdbc.sql("select content_id from inbox_attachment where inbox_id = :id and position = :position")
                .param("id", inboxId).param("position", index).query(String.class).optional();
    }

    Optional<String> bodyContent(String inboxId) {
        return jdbc.sql("select body_content_id from inbox_message where id = :id")
                .param("id", inboxId).query(String.class).optional();
    }

    String evidenceHead(String id) {
        return jdbc.sql("select evidence_head from inbox_message where id = :id").param("id", id)
                .query(String.class).single();
    }

    void setEvidenceHead(String id, String head) {
        jdbc.sql("update inbox_message set evidence_head = :head where id = :id").param("head", head).param("id", id)
                .update();
    }

    /** Marks a message taken; false if it was taken before. Caller's transaction. */
    boolean acknowledge(String id, String client, Instant at) {
        return jdbc.sql("update inbox_message set acked_at = :at, acked_by = :client where id = :id and acked_at is null")
                .param("at", at.atOffset(ZoneOffset.UTC)).param("client", client).param("id", id).update() == 1;
    }

    /** Where a received message came from, to send its retrieval receipt. */
    Optional<Origin> origin(String id) {
        return jdbc.sql("select channel, transport_id, from_address, to_address, acked_at from inbox_message where id = :id")
                .param("id", id)
                .query((rs, i) -> new Origin(rs.getString("channel"), rs.getString("transport_id"),
                        rs.getString("from_address"), rs.getString("to_address"),
                        rs.getObject("acked_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Position of a message in the newest-first order, for paging. */
    public record Cursor(Instant receivedAt, String id) {
    }

    record Origin(String channel, String transportId, String from, String to, Instant acknowledgedAt) {
    }

    /** A proof about a received message about to be kept; {@code digest} identifies it (see V3). */
    record NewProof(String channel, String transportId, String event, Instant issuedAt, String mediaType,
                    String assurance, byte[] content, Instant receivedAt, String digest) {
    }

    /** A kept proof as it was handed in. */
    record ProofContent(String mediaType, byte[] content) {
    }

    /** A received message about to be stored. */
    record NewInbound(String id, String participant, String channel, String transportId, String from, String to,
                      String subject, String bodyContentId, Instant receivedAt, boolean receiptWanted,
                      InboxMessage.Signature signature, List<Part> parts) {
        record Part(int index, String fileName, String mediaType, String contentId) {
        }
    }
}
