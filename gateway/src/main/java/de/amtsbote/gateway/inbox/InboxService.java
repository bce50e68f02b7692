package de.amtsbote.gateway.inbox;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.channels.InboundSinkFactory;
import de.amtsbote.gateway.content.ContentManifest;
import de.amtsbote.gateway.content.ContentStore;
import de.amtsbote.gateway.content.StoredContent;
import de.amtsbote.gateway.evidence.EvidenceDocument;
import de.amtsbote.gateway.evidence.EvidenceEvent;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.gateway.outbox.WorkRunner;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import de.amtsbote.gateway.quarantine.QuarantineStore;
import de.amtsbote.gateway.receipts.ReceiptProcessor;
import de.amtsbote.gateway.security.ClientSystem;
import de.amtsbote.gateway.support.Ids;
import de.amtsbote.gateway.support.NodeIdentity;
import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundPart;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.InboundSink;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.SignatureCheck;
import de.amtsbote.spi.TransportProof;
import de.amtsbote.spi.TransportReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Files what the channels receive: messages into the addressed participant's inbox (with a Receipt evidence),
 * receipts to their deliveries, proofs about received messages beside those messages, and what cannot be accepted
 * into quarantine. Every call returns only once the
 * item is durable, so the adapter may then acknowledge it to the remote side.
 */
@Service
public class InboxService implements InboundSinkFactory {

    private static final Logger log = LoggerFactory.getLogger(InboxService.class);
    /** Transports refuse far smaller messages; this only bounds a misbehaving adapter. */
    private static final long MAX_PART = 2L << 30;

    private final InboxRepository inbox;
    private final ParticipantDirectory participants;
    private final ContentStore content;
    private final EvidenceRepository evidence;
    private final ReceiptProcessor receipts;
    private final QuarantineStore quarantine;
    private final Outbox outbox;
    private final WorkRunner runner;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Ids ids;
    private final Clock clock;
    private final NodeIdentity node;
    private final AuditTrail audit;

    InboxService(InboxRepository inbox, ParticipantDirectory participants, ContentStore content,
                 EvidenceRepository evidence, ReceiptProcessor receipts, QuarantineStore quarantine, Outbox outbox,
                 WorkRunner runner, JdbcClient jdbc, TransactionTemplate tx, Ids ids, Clock clock, NodeIdentity node,
                 AuditTrail audit) {
        this.inbox = inbox;
        this.participants = participants;
        this.content = content;
        this.evidence = evidence;
        this.receipts = receipts;
        this.quarantine = quarantine;
        this.outbox = outbox;
        this.runner = runner;
        this.jdbc = jdbc;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
        this.node = node;
        this.audit = audit;
    }

    @Override
    public InboundSink forChannel(String channel) {
        return new InboundSink() {
            @Override
            public Stored accept(InboundMessage message) {
                return InboxService.this.accept(channel, message);
            }

            @Override
            public void receipt(TransportReceipt receipt) {
                if (!receipt.channel().equals(channel)) {
                    throw new IllegalArgumentException("channel '" + channel + "' handed in a receipt for channel '"
                            + receipt.channel() + "'");
                }
                receipts.accept(receipt);
            }

            @Override
            public void inboundProof(InboundProof proof) {
                InboxService.this.keepProof(channel, proof);
            }

            @Override
            public void quarantine(QuarantinedMessage message) {
                quarantine.put(channel, message);
            }
        };
    }

    InboundSink.Stored accept(String channel, InboundMessage m) {
        Optional<Participant> participant = addressee(channel, m);
        if (participant.isEmpty()) {
            boolean fresh = quarantine.put(channel, m.transportId(), notAParticipant(m), m.receivedAt(), m.body());
            return fresh ? InboundSink.Stored.NEW : InboundSink.Stored.DUPLICATE;
        }
        if (existing(channel, m.transportId()).isPresent()) {
            return InboundSink.Stored.DUPLICATE;
        }
        Prepared prepared = prepare(channel, m, participant.get());
        try {
            String id = tx.execute(s -> file(prepared, null));
            log.info("received {} message {} for {} from {}", channel, id, participant.get().id(), m.from());
            return InboundSink.Stored.NEW;
        } catch (DuplicateKeyException e) {
            discard(prepared);
            return InboundSink.Stored.DUPLICATE;
        } catch (RuntimeException e) {
            discard(prepared);
            throw e;
        }
    }

    /** The own participant a message is addressed to; empty when it is for nobody this gateway serves. */
    Optional<Participant> addressee(String channel, InboundMessage m) {
        if (!m.to().channel().equals(channel)) {
            throw new IllegalArgumentException("channel '" + channel + "' handed in a message for " + m.to());
        }
        return participants.byAddress(m.to()).filter(Participant::own);
    }

    static String notAParticipant(InboundMessage m) {
        return "addressed to " + m.to() + ", which is no participant served by this gateway";
    }

    /** A message's content in the content store, not yet registered: filed in a transaction, or discarded. */
    record Prepared(String channel, InboundMessage message, Participant participant, StoredContent body,
                    List<InboxRepository.NewInbound.Part> parts, List<StoredContent> written, String digest) {
    }

    /** Streams the message's body and parts into the content store; nothing is registered yet. */
    Prepared prepare(String channel, InboundMessage m, Participant participant) {
        List<StoredContent> written = new ArrayList<>();
        try {
            StoredContent body = write(m.body(), written);
            List<InboxRepository.NewInbound.Part> parts = new ArrayList<>();
            List<ContentManifest.Entry> manifest = new ArrayList<>();
            int index = 0;
            for (InboundPart part : m.parts()) {
                StoredContent stored = write(part.content(), written);
                parts.add(new InboxRepository.NewInbound.Part(index++, part.fileName(), part.mediaType(), stored.id()));
                manifest.add(new ContentManifest.Entry(part.fileName(), part.mediaType(), stored.size(), stored.sha256()));
            }
            String digest = new ContentManifest(m.subject(), body, manifest).digest();
            return new Prepared(channel, m, participant, body, parts, written, digest);
        } catch (RuntimeException e) {
            written.forEach(c -> content.discard(c.id()));
            throw e;
        }
    }

    /**
     * Files a prepared message into its participant's inbox with its Receipt evidence, in the caller's transaction;
     * returns the inbox id. {@code note} goes into the evidence's reason (a release from quarantine says so), or null.
     */
    String file(Prepared p, String note) {
        InboundMessage m = p.message();
        p.written().forEach(content::register);
        String id = ids.next();
        String head = evidence.append(new EvidenceDocument(ids.next(), EvidenceEvent.RECEIPT, clock.instant(),
                id, null, m.from().toString(), List.of(m.to().toString()), p.channel(), null, null, null,
                node.id(), note, p.digest(), null, m.transportId(), null, null, null));
        inbox.insert(new InboxRepository.NewInbound(id, p.participant().id(), p.channel(), m.transportId(),
                m.from().toString(), m.to().toString(), m.subject(), p.body().id(), m.receivedAt(),
                m.retrievalReceiptWanted(), signature(m.signature()), p.parts()), head);
        audit.recordByNode("inbox.received", AuditTrail.subjects("inbox", id), AuditDetail.of()
                .with("channel", p.channel()).with("participant", p.participant().id())
                .with("contentDigest", p.digest()));
        return id;
    }

    /** Removes the files of a prepared message that was not filed after all. */
    void discard(Prepared p) {
        p.written().forEach(c -> content.discard(c.id()));
    }

    /**
     * Keeps a transport's proof about a received message. Not tied to the message row: the proof may arrive first,
     * and reading the message finds it by channel and transport id. The same proof again is recognised by its digest.
     */
    void keepProof(String channel, InboundProof p) {
        TransportProof proof = p.proof();
        byte[] content = proof.content();
        String digest = proofDigest(channel, p.transportId(), p.event(), content);
        boolean fresh = inbox.insertProof(new InboxRepository.NewProof(channel, p.transportId(), p.event().name(),
                p.at(), proof.mediaType(), proof.assurance().name(), content, clock.instant(), digest));
        if (fresh) {
            log.info("kept a {} proof ({}, {}) about {} message {}", p.event(), proof.assurance(), proof.mediaType(),
                    channel, p.transportId());
        }
    }

    /** SHA-256 over the length-prefixed channel, transport id and event, then the proof's bytes: no two inputs meet. */
    static String proofDigest(String channel, String transportId, InboundProof.Event event, byte[] content) {
        ContentDigester d = new ContentDigester();
        for (String part : List.of(channel, transportId, event.name())) {
            byte[] b = (part.length() + ":" + part).getBytes(StandardCharsets.UTF_8);
            d.update(b, 0, b.length);
        }
        d.update(content, 0, content.length);
        return d.hex();
    }

    /** Proof {@code index} of a message, verbatim, if the client may see the message. */
    InboxRepository.ProofContent proof(String id, int index, ClientSystem client) {
        visibleTo(id, client);
        InboxRepository.ProofContent proof = inbox.proofContent(id, index)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "message " + id + " has no proof " + index));
        read(client, "inbox.proof-downloaded", id, index);
        return proof;
    }

    /** A message as a client reads it; the reading is audited. */
    public InboxMessage read(String id, ClientSystem client) {
        InboxMessage message = visibleTo(id, client);
        read(client, "inbox.read", id, null);
        return message;
    }

    private void read(ClientSystem client, String action, String id, Integer index) {
        audit.record(AuditActor.client(client.id()), action, AuditTrail.subjects("inbox", id),
                AuditDetail.of().with("index", index));
    }

    /** Marks a message taken by a client system and, if its sender asked, queues the retrieval receipt. */
    public InboxMessage acknowledge(String id, ClientSystem client) {
        InboxMessage message = visibleTo(id, client);
        Instant now = clock.instant();
        boolean first = Boolean.TRUE.equals(tx.execute(s -> {
            if (!inbox.acknowledge(id, client.id(), now)) {
                return false; // taken before: acknowledging again changes nothing
            }
            String head = inbox.evidenceHead(id);
            String newHead = evidence.append(new EvidenceDocument(ids.next(), EvidenceEvent.RETRIEVAL, now, id, null,
                    message.from(), List.of(message.to()), message.channel(), null, null, null, node.id(),
                    "taken by client system " + client.id(), null, null, null, null, null, head));
            inbox.setEvidenceHead(id, newHead);
            audit.record(AuditActor.client(client.id()), "inbox.acknowledged", AuditTrail.subjects("inbox", id),
                    AuditDetail.of().with("participant", message.participant()));
            if (message.receiptWanted()) {
                outbox.schedule(WorkKind.CONFIRM_RETRIEVAL, id, now);
            }
            return true;
        }));
        if (first && message.receiptWanted()) {
            runner.wakeUp();
        }
        return inbox.find(id).orElseThrow();
    }

    /** A message, if the client may see it: one for a participant it acts for. Others look like they do not exist. */
    public InboxMessage visibleTo(String id, ClientSystem client) {
        return inbox.find(id).filter(m -> client.mayActFor(m.participant()))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "no inbox message " + id));
    }

    public List<InboxMessage> page(ClientSystem client, boolean unacknowledgedOnly, InboxRepository.Cursor after,
                                   int limit) {
        return inbox.page(client.participants(), unacknowledgedOnly, after, limit);
    }

    public InputStream body(String id, ClientSystem client) throws IOException {
        visibleTo(id, client);
        read(client, "inbox.body-downloaded", id, null);
        return content.open(inbox.bodyContent(id).orElseThrow());
    }

    public InputStream attachment(String id, int index, ClientSystem client) throws IOException {
        visibleTo(id, client);
        String contentId = inbox.attachmentContent(id, index)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "message " + id + " has no attachment " + index));
        read(client, "attachment.downloaded", id, index);
        return content.open(contentId);
    }

    /** The inbox message this channel's transport id was filed as, if it was. */
    Optional<String> existing(String channel, String transportId) {
        return jdbc.sql("select id from inbox_message where channel = :channel and transport_id = :transport")
                .param("channel", channel).param("transport", transportId).query(String.class).optional();
    }

    private StoredContent write(ContentSource source, List<StoredContent> written) {
        try (InputStream in = source.open()) {
            StoredContent stored = content.write(in, MAX_PART);
            written.add(stored);
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store inbound content", e);
        }
    }

    private static InboxMessage.Signature signature(SignatureCheck check) {
        return new InboxMessage.Signature(check.status().name(), check.signer(), check.certificateStatus(),
                check.algorithms(), check.warnings());
    }
}
