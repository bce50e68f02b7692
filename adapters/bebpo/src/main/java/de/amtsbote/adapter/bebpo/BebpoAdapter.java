package de.amtsbote.adapter.bebpo;

import de.amtsbote.adapter.bebpo.OsciClient.AnswerRefused;
import de.amtsbote.adapter.bebpo.ProcessCard.CardRefused;
import de.amtsbote.adapter.bebpo.SafeDirectory.DirectoryException;
import de.amtsbote.adapter.bebpo.SafeDirectory.UnknownMailboxException;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.cms.RecipientRefusedException;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSigner;
import de.amtsbote.spi.AddressCheck;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ChannelDescription;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import de.amtsbote.spi.TransportReceipt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * The beBPo channel (see the package documentation for what it does and its settings; the wire contract is
 * {@code docs/channels/bebpo.md}).
 */
final class BebpoAdapter implements ChannelAdapter {

    static final String CHANNEL = "bebpo";
    private static final System.Logger LOG = System.getLogger(BebpoAdapter.class.getName());

    private final BebpoSettings settings;
    private final HttpClient http;
    private volatile ChannelContext context;
    private volatile Crypto crypto;
    private volatile SafeDirectory directory;
    private volatile OsciClient client;
    private volatile PendingIndex pending;
    private volatile InboundFetcher inbound;
    private volatile Instant lastCardPoll = Instant.EPOCH;

    BebpoAdapter(BebpoSettings settings) {
        this.settings = settings;
        this.http = HttpClients.create(settings.trustAnchors(), settings.connectTimeout());
    }

    @Override
    public void start(ChannelContext context) throws TransportException {
        this.context = context;
        this.crypto = context.requireCrypto(CHANNEL);
        this.directory = new SafeDirectory(settings.directory(), http, settings.directoryTtl(),
                settings.receiveTimeout(), context.clock());
        // an answer is the envelope plus at most the message's encrypted parts (IV and tag per part) and their MIME
        this.client = new OsciClient(http, settings.receiveTimeout(), settings.spoolDirectory(),
                settings.maxMessageBytes() + (32L << 20), crypto.policy(), crypto.validator(), context.clock());
        this.pending = new PendingIndex(context.memory(), context.nodeId(), settings.receiptWindow());
        for (BebpoSettings.Mailbox m : settings.mailboxes()) {
            Optional<ChannelAddress> listed = context.directory().addressOf(m.participant(), CHANNEL);
            if (listed.isPresent() && !listed.get().address().equals(m.id())) {
                throw new PermanentTransportException("amtsbote.channels.bebpo.mailbox." + m.name() + ".id is "
                        + m.id() + ", but participant " + m.participant() + " has the address " + listed.get());
            }
        }
        this.inbound = new InboundFetcher(settings, context, crypto, directory, client);
    }

    @Override
    public ChannelDescription describe() {
        // SIGN and ENCRYPT are always done (origin, content and client signatures; the double envelope), asked or not
        return new ChannelDescription(CHANNEL, "beBPo (OSCI)", Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT,
                DeliveryOption.DELIVERY_RECEIPT, DeliveryOption.RETRIEVAL_RECEIPT), settings.maxMessageBytes());
    }

    @Override
    public AddressCheck checkAddress(String address) {
        return MailboxId.check(address);
    }

    @Override
    public String peerOf(ChannelAddress recipient) {
        SafeDirectory d = directory;
        if (d != null) {
            Optional<MailboxEntry> entry = d.cached(recipient.address());
            if (entry.isPresent()) {
                return entry.get().intermediary().toString();
            }
        }
        return settings.directory().getHost();
    }

    // ------------------------------------------------------------------ dispatch

    @Override
    public DispatchResult dispatch(OutboundEnvelope envelope) throws TransportException {
        requireStarted();
        String originator = envelope.senderAddress().address();
        String addressee = envelope.recipient().address();
        if (!MailboxId.valid(originator)) {
            throw new PermanentTransportException("the sender address " + envelope.senderAddress() + " is not a"
                    + " beBPo mailbox id: " + MailboxId.check(originator).problem());
        }
        MailboxEntry to = lookup(addressee, "addressee");
        lookup(originator, "sender's own mailbox");
        if (to.encryptionCertificate() == null) {
            throw new PermanentTransportException("the directory lists no encryption certificate for mailbox "
                    + addressee);
        }
        XmlSigner signer = signer(envelope.sender());
        XmlRecipient forAddressee = recipient(to, to.encryptionCertificate(), addressee, "encryption certificate of "
                + addressee);
        XmlRecipient forIntermediary = recipient(to, to.intermediaryCertificate(), to.intermediary().toString(),
                "intermediary certificate of " + to.intermediary());

        for (int attempt = 0; ; attempt++) {
            Reservation reservation = reserve(envelope, originator, to, signer);
            try {
                return store(envelope, reservation, originator, addressee, to, signer, forAddressee,
                        forIntermediary);
            } catch (OsciFault fault) {
                if (fault.is("MessageIdUsed") && reservation.reused()) {
                    // an earlier attempt arrived; its process card is the result
                    return resultOfEarlierAttempt(reservation.messageId(), originator, to, signer, fault);
                }
                if (fault.is("MessageIdUnknown") && reservation.reused() && attempt == 0) {
                    // the reservation of an earlier attempt expired unused: nothing was stored, take a fresh id
                    context.memory().remember(SentRecord.deliveryKey(envelope.deliveryId()), new byte[0],
                            settings.receiptWindow());
                    continue;
                }
                throw mapped(fault, "storeDelivery at " + to.intermediary() + " for " + addressee);
            }
        }
    }

    private record Reservation(String messageId, boolean reused) {
    }

    /** The delivery's message id: the one an earlier attempt reserved, else a new one from getMessageId. */
    private Reservation reserve(OutboundEnvelope envelope, String originator, MailboxEntry to, XmlSigner signer)
            throws TransportException {
        Optional<String> earlier = context.memory().recall(SentRecord.deliveryKey(envelope.deliveryId()))
                .map(b -> new String(b, StandardCharsets.US_ASCII)).filter(s -> !s.isEmpty());
        if (earlier.isPresent()) {
            return new Reservation(earlier.get(), true);
        }
        OsciRequest request = OsciRequest.create("getMessageId", originator, context.clock().instant());
        request.operationElement("GetMessageId");
        sign(request, signer);
        try (OsciAnswer answer = client.call(to.intermediary(), request)) {
            Element response = client.verify(answer, request, to.intermediaryCertificate());
            String id = Osci.text(response, "MessageId");
            byte[] raw = Base64.getDecoder().decode(id);
            if (raw.length != 16) {
                throw new AnswerRefused("the MessageId is " + raw.length + " bytes, not 16");
            }
            context.memory().remember(SentRecord.deliveryKey(envelope.deliveryId()),
                    id.getBytes(StandardCharsets.US_ASCII), settings.receiptWindow());
            return new Reservation(id, false);
        } catch (OsciFault fault) {
            throw mapped(fault, "getMessageId at " + to.intermediary());
        } catch (AnswerRefused e) {
            throw refused(e, "getMessageId at " + to.intermediary());
        } catch (Osci.MalformedException | IllegalArgumentException e) {
            throw new TransientTransportException("getMessageId at " + to.intermediary() + ": the answer is"
                    + " malformed: " + e.getMessage(), e);
        }
    }

    private DispatchResult store(OutboundEnvelope envelope, Reservation reservation, String originator,
                                 String addressee, MailboxEntry to, XmlSigner signer, XmlRecipient forAddressee,
                                 XmlRecipient forIntermediary) throws TransportException, OsciFault {
        String messageId = reservation.messageId();
        DeliveryWriter.Written written;
        try {
            written = new DeliveryWriter(crypto.xmlEncryptor(), signer, client).write(envelope, messageId,
                    originator, addressee, forAddressee, settings.maxMessageBytes());
        } catch (DigestingStreams.TooLargeException e) {
            throw new PermanentTransportException(e.getMessage() + " (the beBPo channel's max-message-size)", e);
        } catch (XmlSecurityException e) {
            throw new PermanentTransportException("the delivery cannot be signed or encrypted: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TransientTransportException("the delivery's content cannot be read or spooled: "
                    + e.getMessage(), e);
        }
        try {
            SentRecord record = new SentRecord(messageId, envelope.deliveryId(), envelope.sender(), originator,
                    addressee, to.intermediary(), SentRecord.State.STORING, context.clock().instant());
            context.memory().remember(SentRecord.key(messageId), record.encode(), settings.receiptWindow());

            OsciRequest request = OsciRequest.create("storeDelivery", originator, context.clock().instant());
            Element imported = (Element) request.document().importNode(
                    written.storeDelivery().getDocumentElement(), true);
            request.body().appendChild(imported);
            try {
                crypto.xmlEncryptor().encryptElement(imported, List.of(forIntermediary));
            } catch (XmlSecurityException e) {
                throw new PermanentTransportException("the usage data cannot be encrypted for the intermediary: "
                        + e.getMessage(), e);
            }
            written.parts().forEach(request::attach);
            sign(request, signer);
            String where = "storeDelivery at " + to.intermediary() + " for " + addressee;
            try (OsciAnswer answer = client.call(to.intermediary(), request)) {
                Element response = client.verify(answer, request, to.intermediaryCertificate());
                ProcessCard card = ProcessCard.verify(Osci.required(response, Osci.NS, "ProcessCardBundle"),
                        to.intermediaryCertificate(), crypto.policy());
                if (!messageId.equals(card.messageId())) {
                    throw new CardRefused("the process card is about message " + card.messageId() + ", not "
                            + messageId);
                }
                return sent(record, card);
            } catch (AnswerRefused e) {
                throw refused(e, where);
            } catch (CardRefused e) {
                throw new TransientTransportException(where + ": the process card is not believed (never SENT on"
                        + " an unverified card; possibly a man in the middle): " + e.getMessage());
            } catch (Osci.MalformedException e) {
                throw new TransientTransportException(where + ": the answer is malformed: " + e.getMessage());
            }
        } finally {
            written.delete();
        }
    }

    private DispatchResult sent(SentRecord record, ProcessCard card) {
        SentRecord.State state = card.reception() != null ? SentRecord.State.RETRIEVED
                : card.forwarding() != null ? SentRecord.State.DELIVERED : SentRecord.State.SENT;
        context.memory().remember(SentRecord.key(record.messageId()), record.with(SentRecord.State.SENT,
                record.storedAt()).encode(), settings.receiptWindow());
        pending.add(record.messageId(), context.clock().instant());
        if (state != SentRecord.State.SENT) {
            LOG.log(System.Logger.Level.DEBUG, "beBPo: {0} is already {1}; the next card poll reports it",
                    record.messageId(), state);
        }
        return new DispatchResult(DispatchResult.Outcome.SENT, record.messageId(), card.creation(), card.proof());
    }

    private DispatchResult resultOfEarlierAttempt(String messageId, String originator, MailboxEntry to,
                                                  XmlSigner signer, OsciFault fault) throws TransportException {
        Optional<SentRecord> record = recall(messageId);
        if (record.isEmpty()) {
            throw new PermanentTransportException("storeDelivery at " + to.intermediary() + ": " + fault.getMessage()
                    + ", and the gateway has no record of storing " + messageId);
        }
        List<ProcessCard> cards = fetchCards(to.intermediary(), originator, signer, List.of(messageId),
                to.intermediaryCertificate());
        ProcessCard card = cards.stream().filter(c -> c.messageId().equals(messageId)).findFirst()
                .orElseThrow(() -> new TransientTransportException("storeDelivery at " + to.intermediary()
                        + ": an earlier attempt stored " + messageId + ", but its process card is not given out yet"));
        return sent(record.get(), card);
    }

    // ------------------------------------------------------------------ process cards

    /** Fetches and verifies the process cards of these message ids (one request). */
    List<ProcessCard> fetchCards(URI intermediary, String caller, XmlSigner signer, List<String> messageIds,
                                 java.security.cert.X509Certificate intermediaryCertificate)
            throws TransportException {
        OsciRequest request = OsciRequest.create("fetchProcessCard", caller, context.clock().instant());
        Element fetch = request.operationElement("FetchProcessCard");
        messageIds.forEach(id -> Osci.add(fetch, "MessageId", id));
        sign(request, signer);
        String where = "fetchProcessCard at " + intermediary;
        try (OsciAnswer answer = client.call(intermediary, request)) {
            Element response = client.verify(answer, request, intermediaryCertificate);
            List<ProcessCard> cards = new ArrayList<>();
            for (Element bundle : Osci.children(response, Osci.NS, "ProcessCardBundle")) {
                ProcessCard card = ProcessCard.verify(bundle, intermediaryCertificate, crypto.policy());
                if (messageIds.contains(card.messageId())) {
                    cards.add(card);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "beBPo: {0} handed out a process card for {1}, which was"
                            + " not asked for; ignored", intermediary, card.messageId());
                }
            }
            return cards;
        } catch (OsciFault fault) {
            throw mapped(fault, where);
        } catch (AnswerRefused e) {
            throw refused(e, where);
        } catch (CardRefused e) {
            throw new TransientTransportException(where + ": a process card is not believed: " + e.getMessage());
        }
    }

    private void pollCards() throws TransportException {
        Instant now = context.clock().instant();
        Map<String, Instant> entries = pending.entries(now.minus(settings.cardMaxAge()));
        Map<String, List<SentRecord>> groups = new LinkedHashMap<>();
        for (String messageId : entries.keySet()) {
            Optional<SentRecord> record = recall(messageId);
            if (record.isEmpty() || record.get().state() == SentRecord.State.RETRIEVED) {
                pending.remove(messageId);
                continue;
            }
            SentRecord r = record.get();
            groups.computeIfAbsent(r.intermediary() + " " + r.originator() + " " + r.participant() + " "
                    + r.addressee(), k -> new ArrayList<>()).add(r);
        }
        TransportException first = null;
        for (List<SentRecord> group : groups.values()) {
            SentRecord sample = group.get(0);
            try {
                MailboxEntry to = lookup(sample.addressee(), "addressee");
                XmlSigner signer = signer(sample.participant());
                for (int from = 0; from < group.size(); from += settings.cardBatch()) {
                    List<SentRecord> batch = group.subList(from, Math.min(group.size(), from + settings.cardBatch()));
                    List<ProcessCard> cards = fetchCards(sample.intermediary(), sample.originator(), signer,
                            batch.stream().map(SentRecord::messageId).toList(), to.intermediaryCertificate());
                    for (ProcessCard card : cards) {
                        batch.stream().filter(r -> r.messageId().equals(card.messageId())).findFirst()
                                .ifPresent(r -> report(r, card));
                    }
                }
            } catch (TransportException e) {
                LOG.log(System.Logger.Level.WARNING, "beBPo: process cards from {0} not fetched: {1}",
                        sample.intermediary(), e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Hands in what a card says beyond what was reported before: DELIVERED (Forwarding), RETRIEVED (Reception). */
    private void report(SentRecord record, ProcessCard card) {
        SentRecord.State state = record.state();
        if (card.forwarding() != null && state.compareTo(SentRecord.State.DELIVERED) < 0) {
            context.inbound().receipt(new TransportReceipt(CHANNEL, record.messageId(),
                    TransportReceipt.Event.DELIVERED, card.forwarding(), null, card.proof()));
            state = SentRecord.State.DELIVERED;
        }
        if (card.reception() != null && state.compareTo(SentRecord.State.RETRIEVED) < 0) {
            context.inbound().receipt(new TransportReceipt(CHANNEL, record.messageId(),
                    TransportReceipt.Event.RETRIEVED, card.reception(), null, card.proof()));
            state = SentRecord.State.RETRIEVED;
        }
        if (state != record.state()) {
            context.memory().remember(SentRecord.key(record.messageId()), record.with(state, record.storedAt())
                    .encode(), settings.receiptWindow());
        }
        if (state == SentRecord.State.RETRIEVED) {
            pending.remove(record.messageId());
        }
    }

    // ------------------------------------------------------------------ poll

    @Override
    public void poll() throws TransportException {
        requireStarted();
        TransportException first = null;
        Instant now = context.clock().instant();
        if (!now.isBefore(lastCardPoll.plus(settings.cardInterval()))) {
            lastCardPoll = now;
            try {
                pollCards();
            } catch (TransportException e) {
                first = e;
            }
        }
        for (BebpoSettings.Mailbox mailbox : settings.mailboxes()) {
            try {
                inbound.fetch(mailbox);
            } catch (TransportException e) {
                LOG.log(System.Logger.Level.WARNING, "beBPo: mailbox {0} not fetched: {1}", mailbox.id(),
                        e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        // the JDK's HTTP client has no close on Java 17; its threads end with the process
    }

    // ------------------------------------------------------------------ helpers

    private void requireStarted() {
        if (client == null) {
            throw new IllegalStateException("the beBPo adapter was not started");
        }
    }

    private Optional<SentRecord> recall(String messageId) {
        return context.memory().recall(SentRecord.key(messageId)).flatMap(b -> {
            try {
                return Optional.of(SentRecord.decode(b));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "beBPo: the record of {0} cannot be read: {1}", messageId,
                        e.getMessage());
                return Optional.empty();
            }
        });
    }

    MailboxEntry lookup(String id, String role) throws TransportException {
        try {
            return directory.lookup(id);
        } catch (UnknownMailboxException e) {
            throw new PermanentTransportException(e.getMessage() + " (" + role + ")");
        } catch (DirectoryException e) {
            throw new TransientTransportException(e.getMessage(), e);
        }
    }

    XmlSigner signer(String participant) throws PermanentTransportException {
        try {
            return crypto.xmlSigner(participant);
        } catch (KeyVaultException e) {
            throw new PermanentTransportException("participant " + participant + " has no signing key for beBPo"
                    + " (key purpose SIGNING in the key store): " + e.getMessage(), e);
        }
    }

    private XmlRecipient recipient(MailboxEntry to, java.security.cert.X509Certificate certificate, String peer,
                                   String what) throws PermanentTransportException {
        try {
            return crypto.xmlRecipient(certificate, List.of(), peer);
        } catch (RecipientRefusedException e) {
            directory.forget(to.id()); // a renewed certificate is picked up at the next attempt
            throw new PermanentTransportException("the " + what + " from the directory is refused: "
                    + e.getMessage(), e);
        }
    }

    private static void sign(OsciRequest request, XmlSigner signer) throws PermanentTransportException {
        try {
            request.sign(signer);
        } catch (XmlSecurityException e) {
            throw new PermanentTransportException("the " + request.operation() + " request cannot be signed: "
                    + e.getMessage(), e);
        }
    }

    static TransportException mapped(OsciFault fault, String where) {
        if (fault.sender()) {
            return new PermanentTransportException(where + ": the intermediary refused the request: "
                    + fault.getMessage(), fault);
        }
        return new TransientTransportException(where + ": the intermediary cannot serve now: " + fault.getMessage(),
                fault);
    }

    static TransientTransportException refused(AnswerRefused e, String where) {
        return new TransientTransportException(where + ": the answer is not believed (possibly a man in the"
                + " middle): " + e.getMessage(), e);
    }
}
