package de.amtsbote.gateway.submission;

import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.content.ContentManifest;
import de.amtsbote.gateway.content.ContentStore;
import de.amtsbote.gateway.content.StoredContent;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.evidence.EvidenceDocument;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.messages.StoredMessage;
import de.amtsbote.gateway.messages.MessageRepository;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.gateway.routing.Route;
import de.amtsbote.gateway.support.Ids;
import de.amtsbote.gateway.support.NodeIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The moment a message is accepted: one transaction writes the content rows, the message, one delivery and one
 * dispatch work item per recipient, and the SubmissionAcceptance evidence. Only after it commits does the client
 * hear 202; before the commit nothing of the message exists, after it nothing can be lost.
 */
@Component
class Acceptance {

    private final MessageRepository messages;
    private final ContentStore content;
    private final EvidenceRepository evidence;
    private final Outbox outbox;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Ids ids;
    private final Clock clock;
    private final NodeIdentity node;
    private final AuditTrail audit;

    Acceptance(MessageRepository messages, ContentStore content, EvidenceRepository evidence, Outbox outbox,
               JdbcClient jdbc, TransactionTemplate tx, Ids ids, Clock clock, NodeIdentity node, AuditTrail audit) {
        this.messages = messages;
        this.content = content;
        this.evidence = evidence;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
        this.node = node;
        this.audit = audit;
    }

    /** Commits the message; throws {@code DuplicateKeyException} if the idempotency key was taken meanwhile. */
    String accept(String clientId, String idempotencyKey, String fingerprint, Envelope envelope, List<Route> routes,
                  StoredContent body, List<Attachment> attachments, ContentManifest manifest) {
        String messageId = ids.next();
        tx.executeWithoutResult(status -> {
            Instant now = clock.instant();
            content.register(body);
            attachments.forEach(a -> content.register(a.content()));
            List<StoredMessage.StoredAttachment> stored = new ArrayList<>();
            for (int i = 0; i < attachments.size(); i++) {
                Attachment a = attachments.get(i);
                stored.add(new StoredMessage.StoredAttachment(i, a.fileName(), a.mediaType(), a.content().size(),
                        a.content().sha256(), a.content().id()));
            }
            messages.insert(new StoredMessage(messageId, clientId, envelope.sender(), envelope.subject(),
                    envelope.reference(), body.id(), envelope.options(), manifest.digest(), manifest.totalBytes(), now,
                    stored), idempotencyKey, fingerprint);
            String head = evidence.append(new EvidenceDocument(ids.next(), EvidenceEvent.SUBMISSION_ACCEPTANCE, now,
                    messageId, null, envelope.sender(), routes.stream().map(r -> r.address().toString()).toList(),
                    null, null, DeliveryState.ACCEPTED.name(), null, node.id(), null, manifest.digest(),
                    envelope.reference(), null, null, null, null));
            for (int i = 0; i < routes.size(); i++) {
                Route r = routes.get(i);
                String deliveryId = ids.next();
                jdbc.sql("""
                        insert into delivery (id, message_id, position, recipient, channel, address, sender_address,
                                              peer, state, attempts, awaiting, evidence_head, updated_at)
                        values (:id, :message, :position, :recipient, :channel, :address, :sender, :peer, :state, 0,
                                :awaiting, :head, :now)
                        """)
                        .param("id", deliveryId).param("message", messageId).param("position", i)
                        .param("recipient", r.recipient()).param("channel", r.address().channel())
                        .param("address", r.address().address()).param("sender", r.senderAddress().toString())
                        .param("peer", r.peer()).param("state", DeliveryState.ACCEPTED.name())
                        .param("awaiting", envelope.awaiting()).param("head", head)
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .update();
                outbox.schedule(WorkKind.DISPATCH, deliveryId, now);
            }
            audit.record(AuditActor.client(clientId), "message.submitted", AuditTrail.subjects("message", messageId),
                    AuditDetail.of().with("sender", envelope.sender()).with("recipients", routes.size())
                            .with("contentDigest", manifest.digest()).with("bytes", manifest.totalBytes()));
        });
        return messageId;
    }

    /** An attachment as streamed into the content store. */
    record Attachment(String fileName, String mediaType, StoredContent content) {
    }
}
