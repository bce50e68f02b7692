package de.amtsbote.gateway.messages;

import de.amtsbote.spi.DeliveryOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Messages, their attachments and their deliveries as stored. */
@Repository
public class MessageRepository {

    private final JdbcClient jdbc;

    public MessageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a message and its attachments, in the caller's transaction. */
    public void insert(StoredMessage m, String idempotencyKey, String fingerprint) {
        jdbc.sql("""
                insert into message (id, client_id, idempotency_key, fingerprint, sender, subject, reference,
                                     body_content_id, options, content_digest, total_bytes, accepted_at)
                values (:id, :client, :key, :fingerprint, :sender, :subject, :reference, :body, :options, :digest,
                        :total, :accepted)
                """)
                .param("id", m.id()).param("client", m.clientId()).param("key", idempotencyKey)
                .param("fingerprint", fingerprint).param("sender", m.sender()).param("subject", m.subject())
                .param("reference", m.reference()).param("body", m.bodyContentId())
                .param("options", encode(m.options())).param("digest", m.contentDigest())
                .param("total", m.totalBytes()).param("accepted", utc(m.acceptedAt()))
                .update();
        for (StoredMessage.StoredAttachment a : m.attachments()) {
            jdbc.sql("""
                    insert into attachment (message_id, position, file_name, media_type, content_id)
                    values (:message, :position, :name, :type, :content)
                    """)
                    .param("message", m.id()).param("position", a.position()).param("name", a.fileName())
                    .param("type", a.mediaType()).param("content", a.contentId())
                    .update();
        }
    }

    /** The message a client submitted under an idempotency key, with the fingerprint of what it submitted. */
    public Optional<Submitted> findByIdempotencyKey(String clientId, String key) {
        return jdbc.sql("select id, fingerprint from message where client_id = :client and idempotency_key = :key")
                .param("client", clientId).param("key", key)
                .query((rs, i) -> new Submitted(rs.getString("id"), rs.getString("fingerprint")))
                .optional();
    }

    public Optional<StoredMessage> find(String id) {
        List<StoredMessage.StoredAttachment> attachments = jdbc.sql("""
                select a.position, a.file_name, a.media_type, c.size, c.sha256, a.content_id
                from attachment a join content c on c.id = a.content_id
                where a.message_id = :id order by a.position
                """)
                .param("id", id)
                .query((rs, i) -> new StoredMessage.StoredAttachment(rs.getInt("position"), rs.getString("file_name"),
                        rs.getString("media_type"), rs.getLong("size"), rs.getString("sha256"),
                        rs.getString("content_id")))
                .list();
        return jdbc.sql("""
                select id, client_id, sender, subject, reference, body_content_id, options, content_digest,
                       total_bytes, accepted_at
                from message where id = :id
                """)
                .param("id", id)
                .query((rs, i) -> new StoredMessage(rs.getString("id"), rs.getString("client_id"),
                        rs.getString("sender"), rs.getString("subject"), rs.getString("reference"),
                        rs.getString("body_content_id"), decode(rs.getString("options")),
                        rs.getString("content_digest"), rs.getLong("total_bytes"),
                        rs.getObject("accepted_at", OffsetDateTime.class).toInstant(), attachments))
                .optional();
    }

    public List<DeliveryView> deliveries(String messageId) {
        return jdbc.sql("""
                select id, recipient, channel, address, state, attempts, last_error, transport_ref, updated_at,
                       retry_of
                from delivery where message_id = :id order by position
                """)
                .param("id", messageId)
                .query((rs, i) -> new DeliveryView(rs.getString("id"), rs.getString("recipient"),
                        rs.getString("channel"), rs.getString("channel") + ":" + rs.getString("address"),
                        rs.getString("state"), rs.getInt("attempts"), rs.getString("last_error"),
                        rs.getString("transport_ref"), rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                        rs.getString("retry_of")))
                .list();
    }

    static String encode(Set<DeliveryOption> options) {
        return options.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    static Set<DeliveryOption> decode(String options) {
        if (options.isEmpty()) {
            return EnumSet.noneOf(DeliveryOption.class);
        }
        return Arrays.stream(options.split(",")).map(DeliveryOption::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(DeliveryOption.class)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** What was submitted under an idempotency key. */
    public record Submitted(String messageId, String fingerprint) {
    }
}
