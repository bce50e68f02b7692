package de.amtsbote.gateway.quarantine;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.content.ContentStore;
import de.amtsbote.gateway.content.StoredContent;
import de.amtsbote.gateway.support.Ids;
import de.amtsbote.spi.ContentSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What arrived but could not be accepted, kept with its reason and its raw content for an operator. Nothing that
 * reached the gateway is dropped.
 */
@Component
public class QuarantineStore {

    /** Raw items larger than this are refused by the transport long before; this bounds a hostile sender. */
    private static final long MAX_RAW = 2L << 30;

    private final JdbcClient jdbc;
    private final ContentStore content;
    private final TransactionTemplate tx;
    private final Ids ids;
    private final AuditTrail audit;

    public QuarantineStore(JdbcClient jdbc, ContentStore content, TransactionTemplate tx, Ids ids, AuditTrail audit) {
        this.jdbc = jdbc;
        this.content = content;
        this.tx = tx;
        this.ids = ids;
        this.audit = audit;
    }

    /** Keeps an item; returns false if the same (channel, transport id) was quarantined before. */
    public boolean put(String channel, String transportId, String reason, Instant receivedAt, ContentSource raw) {
        StoredContent stored;
        try (InputStream in = raw.open()) {
            stored = content.write(in, MAX_RAW);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store quarantined item " + transportId + " from " + channel, e);
        }
        try {
            tx.executeWithoutResult(s -> {
                content.register(stored);
                String id = ids.next();
                audit.recordByNode("quarantine.put", AuditTrail.subjects("quarantine", id), AuditDetail.of()
                        .with("channel", channel).with("transportId", transportId).with("reason", reason));
                jdbc.sql("""
                        insert into quarantine (id, channel, transport_id, reason, received_at, content_id)
                        values (:id, :channel, :transport, :reason, :received, :content)
                        """)
                        .param("id", id).param("channel", channel).param("transport", transportId)
                        .param("reason", reason.length() > 2000 ? reason.substring(0, 1999) + "…" : reason)
                        .param("received", receivedAt.atOffset(ZoneOffset.UTC)).param("content", stored.id())
                        .update();
            });
            return true;
        } catch (DuplicateKeyException e) {
            content.discard(stored.id());
            return false;
        } catch (RuntimeException e) {
            content.discard(stored.id());
            throw e;
        }
    }
}
