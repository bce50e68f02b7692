package de.amtsbote.adapter.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.sandbox.loopback.FaultPlan;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.sandbox.loopback.OutgoingLetter;
import de.amtsbote.sandbox.loopback.PeerLogEntry;
import de.amtsbote.sandbox.loopback.ReceivedMessage;
import de.amtsbote.spi.AddressCheck;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAdapterProvider;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ChannelDescription;
import de.amtsbote.spi.ChannelSettings;
import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.RetrievalConfirmation;
import de.amtsbote.spi.SignatureCheck;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import de.amtsbote.spi.TransportReceipt;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackAdapterTest {

    private static final Instant NOW = Instant.parse("2026-05-04T08:00:00Z");
    private static final ChannelAddress SENDER = new ChannelAddress("loopback", "stadt-bad-vilbel@gateway");
    private static final byte[] PDF = "%PDF-1.7 Gebührenbescheid".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    private LoopbackPeer peer;
    private final RecordingSink sink = new RecordingSink();
    private final List<ChannelAdapter> adapters = new ArrayList<>();
    private ChannelAdapter adapter;

    @BeforeEach
    void startPeerAndAdapter() throws Exception {
        peer = LoopbackPeer.builder(dataDir).mailboxes("poststelle", "buergerbuero").build().start();
        adapter = adapter(Map.of());
    }

    @AfterEach
    void stop() {
        adapters.forEach(ChannelAdapter::close);
        peer.close();
    }

    // --- dispatch

    @Test
    void dispatchesToTheRunningPeerAndReportsDelivery() throws Exception {
        DispatchResult result = adapter.dispatch(envelope("d-1", "poststelle@loopback.example",
                attachment("bescheid.pdf", PDF)));

        ReceivedMessage received = peer.received("poststelle").get(0);
        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.DELIVERED);
        assertThat(result.transportReference()).isEqualTo(received.transportId());
        assertThat(result.at()).isEqualTo(received.receivedAt());
        assertThat(result.proof().mediaType()).isEqualTo("application/json");
        assertThat(result.proof().assurance()).isEqualTo(Assurance.UNAUTHENTICATED);
        assertThat(new String(result.proof().content(), StandardCharsets.UTF_8)).contains(received.transportId());
        assertThat(received.deliveryId()).isEqualTo("d-1");
        assertThat(received.sender()).isEqualTo("stadt-bad-vilbel@gateway");
        assertThat(received.subject()).isEqualTo("Gebührenbescheid; Frist 1,5 Monate");
        assertThat(received.reference()).isEqualTo("AZ 12/3-ü");
        assertThat(received.parts()).extracting(p -> p.name()).containsExactly("body.txt", "bescheid.pdf");
        assertThat(received.parts().get(1).sha256()).isEqualTo(ContentDigester.hexOf(PDF));
        assertThat(Files.readAllBytes(peer.contentDirectory("poststelle", received.transportId())
                .resolve("01-bescheid.pdf"))).isEqualTo(PDF);
    }

    @Test
    void tellsThePeerWhichNodeSendsWhichAttempt() throws Exception {
        adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 3));

        PeerLogEntry entry = peer.log().get(0);
        assertThat(entry.node()).isEqualTo("node-a");
        assertThat(entry.attempt()).isEqualTo(3);
        assertThat(entry.messageId()).isEqualTo("msg-1");
    }

    @Test
    void redispatchOfTheSameDeliveryGetsTheSameTransportId() throws Exception {
        DispatchResult first = adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 1));

        DispatchResult second = adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 2));

        assertThat(second.transportReference()).isEqualTo(first.transportReference());
        assertThat(second.outcome()).isEqualTo(DispatchResult.Outcome.DELIVERED);
        assertThat(peer.stats().duplicates()).isEqualTo(1);
        assertThat(peer.received("poststelle")).hasSize(1);
    }

    @Test
    void dispatchesFromSeveralThreadsAtOnce() throws Exception {
        ExecutorService dispatchers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<DispatchResult>> deliveries = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String deliveryId = "d-" + i;
                deliveries.add(() -> adapter.dispatch(envelope(deliveryId, "buergerbuero@loopback.example",
                        attachment("anlage-" + deliveryId + ".pdf", PDF))));
            }
            Set<String> transportIds = new HashSet<>();
            for (Future<DispatchResult> result : dispatchers.invokeAll(deliveries)) {
                transportIds.add(result.get().transportReference());
            }

            assertThat(transportIds).hasSize(32);
            assertThat(peer.stats().unique()).isEqualTo(32);
        } finally {
            dispatchers.shutdownNow();
        }
    }

    @Test
    void rejectsUnknownMailboxAsPermanentFailure() {
        PermanentTransportException failure = catchThrowableOfType(
                () -> adapter.dispatch(envelope("d-1", "nobody@loopback.example", 1)),
                PermanentTransportException.class);

        assertThat(failure).hasMessage("loopback peer 127.0.0.1:" + peer.port() + " answered 404: unknown mailbox nobody");
    }

    @Test
    void reportsInjectedUnavailabilityAsTransientFailureWithRetryAfter() throws Exception {
        peer.injectFaults(new FaultPlan(1, 503, 0));

        TransientTransportException failure = catchThrowableOfType(
                () -> adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 1)),
                TransientTransportException.class);

        assertThat(failure).hasMessageContaining("answered 503");
        assertThat(failure.retryAfter()).hasValue(Duration.ofSeconds(1));
        assertThat(adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 2)).outcome())
                .isEqualTo(DispatchResult.Outcome.DELIVERED);
    }

    @Test
    void reportsServerErrorAsTransientFailure() {
        peer.injectFaults(new FaultPlan(1, 500, 0));

        assertThatThrownBy(() -> adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 1)))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("answered 500");
    }

    @Test
    void reportsInjectedBadRequestAsPermanentFailure() {
        peer.injectFaults(new FaultPlan(1, 400, 0));

        assertThatThrownBy(() -> adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 1)))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("answered 400: injected fault 400");
    }

    @Test
    void reportsPeerThatIsNotRunningAsTransientFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ChannelAdapter unreachable = adapter(Map.of("endpoint", "http://127.0.0.1:" + closedPort));

        assertThatThrownBy(() -> unreachable.dispatch(envelope("d-1", "poststelle@loopback.example", 1)))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("cannot connect to loopback peer 127.0.0.1:" + closedPort);
    }

    @Test
    void reportsSilentPeerAsTransientTimeout() {
        ChannelAdapter impatient = adapter(Map.of("timeout", "300ms"));
        peer.injectFaults(new FaultPlan(0, 503, 5_000));

        long started = System.nanoTime();
        assertThatThrownBy(() -> impatient.dispatch(envelope("d-1", "poststelle@loopback.example", 1)))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("did not answer within PT0.3S after the message was sent");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void keepsAnUploadThatIsStillProgressingBeyondTheTimeout() throws Exception {
        // the transfer takes twice the timeout, but never stalls for longer than a quarter of it
        ChannelAdapter impatient = adapter(Map.of("timeout", "1s"));
        int chunks = 8;
        OutboundAttachment slow = new OutboundAttachment("scan.tif", "image/tiff", chunks * 1024L,
                ContentDigester.hexOf(new byte[chunks * 1024]), () -> new TricklingInputStream(chunks, 1024, 250));

        DispatchResult result = impatient.dispatch(envelope("d-1", "poststelle@loopback.example", slow));

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.DELIVERED);
        assertThat(peer.log().get(0).end()).isAfter(peer.log().get(0).start().plusMillis(1500));
    }

    @Test
    void reportsAStalledUploadAsTransientTimeout() {
        ChannelAdapter impatient = adapter(Map.of("timeout", "300ms"));
        OutboundAttachment stalled = new OutboundAttachment("scan.tif", "image/tiff", 1024,
                ContentDigester.hexOf(new byte[1024]), () -> new TricklingInputStream(1, 1024, 10_000));

        long started = System.nanoTime();
        assertThatThrownBy(() -> impatient.dispatch(envelope("d-1", "poststelle@loopback.example", stalled)))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("took no data for PT0.3S while the message was being sent");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void refusesContentShorterThanItsDeclaredSizeAsPermanentFailure() {
        OutboundAttachment truncated = new OutboundAttachment("bescheid.pdf", "application/pdf", PDF.length + 10,
                ContentDigester.hexOf(PDF), () -> new ByteArrayInputStream(PDF));

        assertThatThrownBy(() -> adapter.dispatch(envelope("d-1", "poststelle@loopback.example", truncated)))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("does not match its declared size");
        assertThat(peer.received("poststelle")).isEmpty();
    }

    @Test
    void refusesMessageLargerThanTheConfiguredLimit() {
        ChannelAdapter small = adapter(Map.of("max-message-size", "1KB"));

        assertThatThrownBy(() -> small.dispatch(envelope("d-1", "poststelle@loopback.example",
                attachment("gross.pdf", new byte[2048]))))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("exceeds the loopback channel's limit of 1024 bytes");
        assertThat(peer.stats().requests()).isZero();
    }

    @Test
    void refusesToDispatchToAGatewayParticipant() {
        assertThatThrownBy(() -> adapter.dispatch(envelope("d-1", "stadt-bad-vilbel@gateway", 1)))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("is a gateway participant");
    }

    // --- addresses

    @Test
    void acceptsMailboxAddressOnTheConfiguredDomain() {
        assertThat(adapter.checkAddress("poststelle@loopback.example"))
                .isEqualTo(AddressCheck.valid("poststelle@loopback.example"));
    }

    @Test
    void normalisesUpperCaseAddressToLowerCase() {
        assertThat(adapter.checkAddress("PostStelle@Loopback.EXAMPLE").normalized())
                .isEqualTo("poststelle@loopback.example");
    }

    @Test
    void acceptsAddressOfAGatewayParticipant() {
        assertThat(adapter.checkAddress("stadt-bad-vilbel@gateway").normalized())
                .isEqualTo("stadt-bad-vilbel@gateway");
    }

    @Test
    void rejectsAddressOnAnotherDomain() {
        AddressCheck check = adapter.checkAddress("poststelle@example.org");

        assertThat(check.isValid()).isFalse();
        assertThat(check.problem()).contains("domain 'example.org'").contains("loopback.example");
    }

    @Test
    void rejectsMailboxNameWithForbiddenCharacters() {
        assertThat(adapter.checkAddress("post stelle@loopback.example").problem()).contains("contains ' '");
        assertThat(adapter.checkAddress("bürgerbüro@loopback.example").problem()).contains("contains 'ü'");
        // the Kelvin sign lower-cases to an ASCII k; it must not slip through as one
        assertThat(adapter.checkAddress("\u212Areis@loopback.example").isValid()).isFalse();
    }

    @Test
    void rejectsMailboxNameLongerThan64Characters() {
        assertThat(adapter.checkAddress("a".repeat(64) + "@loopback.example").isValid()).isTrue();
        assertThat(adapter.checkAddress("a".repeat(65) + "@loopback.example").problem())
                .contains("has 65 characters, at most 64");
    }

    @Test
    void rejectsAddressWithoutDomainOrMailbox() {
        assertThat(adapter.checkAddress("poststelle").problem()).contains("must have the form <mailbox>@");
        assertThat(adapter.checkAddress("@loopback.example").problem()).contains("no mailbox name");
        assertThat(adapter.checkAddress("a@b@loopback.example").isValid()).isFalse();
    }

    // --- description and configuration

    @Test
    void describesAnUnsignedUnencryptedChannelWithDeliveryAndRetrievalReceipts() {
        ChannelDescription description = adapter.describe();

        assertThat(description.channel()).isEqualTo("loopback");
        assertThat(description.displayName()).isEqualTo("Loopback (diagnostic, unsigned and unencrypted)");
        assertThat(description.options())
                .containsExactlyInAnyOrder(DeliveryOption.DELIVERY_RECEIPT, DeliveryOption.RETRIEVAL_RECEIPT);
        assertThat(description.maxMessageBytes()).isEqualTo(1L << 30);
    }

    @Test
    void readsTheMaximumMessageSizeFromSettings() {
        assertThat(adapter(Map.of("max-message-size", "512MB")).describe().maxMessageBytes()).isEqualTo(512L << 20);
    }

    @Test
    void namesTheEndpointAsThePeerOfEveryRecipient() {
        assertThat(adapter.peerOf(new ChannelAddress("loopback", "poststelle@loopback.example")))
                .isEqualTo("127.0.0.1:" + peer.port());
    }

    @Test
    void isFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(ChannelAdapterProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(provider -> {
                    assertThat(provider).isInstanceOf(LoopbackAdapterProvider.class);
                    assertThat(provider.channel()).isEqualTo("loopback");
                });
    }

    @Test
    void refusesConfigurationWithoutEndpoint() {
        assertThatThrownBy(() -> new LoopbackAdapterProvider().create(
                new ChannelSettings("loopback", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("amtsbote.channels.loopback.endpoint is required");
    }

    @Test
    void refusesConfigurationWithUnreadablePollLimit() {
        assertThatThrownBy(() -> adapter(Map.of("poll-limit", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amtsbote.channels.loopback.poll-limit");
    }

    // --- poll

    @Test
    void pollHandsAnOutsidePartysMessageWithAttachmentsToTheSinkAndThenDeletesIt() throws Exception {
        String id = peer.send("poststelle", letter("stadt-bad-vilbel@gateway", true));
        List<List<String>> pendingWhileStoring = new ArrayList<>();
        sink.whileStoring(() -> pendingWhileStoring.add(peer.pendingOutbound()));

        adapter.poll();

        assertThat(sink.messages).hasSize(1);
        RecordingSink.Received received = sink.messages.get(0);
        InboundMessage message = received.message();
        assertThat(message.transportId()).isEqualTo(id);
        assertThat(message.from()).isEqualTo(new ChannelAddress("loopback", "poststelle@loopback.example"));
        assertThat(message.to()).isEqualTo(new ChannelAddress("loopback", "stadt-bad-vilbel@gateway"));
        assertThat(message.subject()).isEqualTo("Antrag auf Sondernutzung");
        assertThat(message.receivedAt()).isEqualTo(NOW);
        assertThat(message.retrievalReceiptWanted()).isTrue();
        assertThat(message.signature().status()).isEqualTo(SignatureCheck.Status.UNSIGNED);
        assertThat(received.bodyText()).isEqualTo("Sehr geehrte Damen und Herren, anbei der Antrag.");
        assertThat(message.parts()).extracting(p -> p.fileName()).containsExactly("antrag.pdf", "lageplan.png");
        assertThat(message.parts()).extracting(p -> p.mediaType()).containsExactly("application/pdf", "image/png");
        assertThat(received.parts().get(0)).isEqualTo(PDF);
        assertThat(received.parts().get(1)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertThat(pendingWhileStoring).containsExactly(List.of(id));
        assertThat(peer.pendingOutbound()).isEmpty();
        assertThat(peer.outgoing("poststelle", id).acknowledged()).isTrue();
    }

    @Test
    void pollLeavesItemsOnThePeerWhenTheSinkFails() throws Exception {
        String first = peer.send("poststelle", letter("stadt-bad-vilbel@gateway", false));
        String second = peer.send("buergerbuero", letter("stadt-bad-vilbel@gateway", false));
        IllegalStateException databaseDown = new IllegalStateException("database down");
        sink.failWith(databaseDown);

        assertThatThrownBy(() -> adapter.poll()).isSameAs(databaseDown);

        assertThat(sink.calls).containsExactly("accept " + first);
        assertThat(peer.pendingOutbound()).containsExactly(first, second);
        sink.recover();
        adapter.poll();
        assertThat(sink.messages).extracting(m -> m.message().transportId()).containsExactly(first, second);
        assertThat(peer.pendingOutbound()).isEmpty();
    }

    @Test
    void pollKeepsAnItemWhosePartDoesNotMatchItsDigest() throws Exception {
        String id = peer.send("poststelle", letter("stadt-bad-vilbel@gateway", false));
        byte[] tampered = PDF.clone();
        tampered[tampered.length - 1] ^= 1;
        Files.write(dataDir.resolve("outgoing").resolve(id).resolve("1"), tampered);

        assertThatThrownBy(() -> adapter.poll())
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("part 1 of loopback item " + id + " has SHA-256 "
                        + ContentDigester.hexOf(tampered) + ", the peer announced " + ContentDigester.hexOf(PDF));
        assertThat(peer.pendingOutbound()).containsExactly(id);
    }

    @Test
    void pollDeliversRetrievedReceiptAfterTheRecipientReadTheMessage() throws Exception {
        DispatchResult delivered = adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 1));
        peer.read("poststelle", delivered.transportReference());

        adapter.poll();

        assertThat(sink.receipts).hasSize(1);
        TransportReceipt receipt = sink.receipts.get(0);
        assertThat(receipt.channel()).isEqualTo("loopback");
        assertThat(receipt.transportReference()).isEqualTo(delivered.transportReference());
        assertThat(receipt.event()).isEqualTo(TransportReceipt.Event.RETRIEVED);
        assertThat(receipt.at()).isEqualTo(peer.received("poststelle").get(0).readAt());
        assertThat(receipt.reason()).isNull();
        assertThat(receipt.proof().assurance()).isEqualTo(Assurance.UNAUTHENTICATED);
        assertThat(receipt.proof().mediaType()).isEqualTo("application/json");
        assertThat(new String(receipt.proof().content(), StandardCharsets.UTF_8)).contains("\"RETRIEVED\"");
        assertThat(peer.pendingOutbound()).isEmpty();
    }

    @Test
    void pollDeliversFailedReceiptWithTheRecipientsReason() throws Exception {
        DispatchResult delivered = adapter.dispatch(envelope("d-1", "poststelle@loopback.example", 1));
        peer.reject("poststelle", delivered.transportReference(), "Anhang nicht lesbar");

        adapter.poll();

        assertThat(sink.receipts).singleElement().satisfies(receipt -> {
            assertThat(receipt.event()).isEqualTo(TransportReceipt.Event.FAILED);
            assertThat(receipt.reason()).isEqualTo("Anhang nicht lesbar");
        });
    }

    @Test
    void pollQuarantinesAMessageAddressedToSomeoneOutsideTheGateway() throws Exception {
        String id = peer.send("poststelle", letter("buergerbuero@loopback.example", false));

        adapter.poll();

        assertThat(sink.messages).isEmpty();
        assertThat(sink.quarantined).singleElement().satisfies(quarantined -> {
            assertThat(quarantined.message().transportId()).isEqualTo(id);
            assertThat(quarantined.message().reason()).contains("is not a gateway participant");
            String raw = new String(quarantined.raw(), StandardCharsets.ISO_8859_1);
            assertThat(raw).startsWith("{\"id\":\"" + id + "\"").contains("Sehr geehrte");
        });
        assertThat(peer.pendingOutbound()).isEmpty();
    }

    @Test
    void pollReportsAPeerThatIsNotRunningAsTransientFailure() {
        peer.close();

        assertThatThrownBy(() -> adapter.poll()).isInstanceOf(TransientTransportException.class);
    }

    // --- retrieval receipts

    @Test
    void confirmRetrievalReachesThePeer() throws Exception {
        String id = peer.send("poststelle", letter("stadt-bad-vilbel@gateway", true));
        adapter.poll();
        InboundMessage message = sink.messages.get(0).message();
        Instant retrievedAt = Instant.parse("2026-05-04T09:30:00Z");

        adapter.confirmRetrieval(new RetrievalConfirmation(message.transportId(), message.to(), message.from(),
                retrievedAt));

        assertThat(peer.outgoing("poststelle", id).retrievedAt()).isEqualTo(retrievedAt);
    }

    @Test
    void confirmRetrievalOfAMessageThePeerNeverSentIsPermanentFailure() {
        assertThatThrownBy(() -> adapter.confirmRetrieval(new RetrievalConfirmation("no-such-id", SENDER,
                new ChannelAddress("loopback", "poststelle@loopback.example"), NOW)))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("answered 404: no outgoing message no-such-id");
    }

    // --- helpers

    private ChannelAdapter adapter(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("endpoint", peer.baseUri().toString());
        values.put("timeout", "10s");
        values.putAll(overrides);
        ChannelAdapter created = new LoopbackAdapterProvider().create(
                new ChannelSettings("loopback", values));
        adapters.add(created);
        try {
            created.start(new ChannelContext(sink, Clock.fixed(NOW, ZoneOffset.UTC), "node-a"));
        } catch (TransportException e) {
            throw new IllegalStateException(e);
        }
        return created;
    }

    private static OutboundEnvelope envelope(String deliveryId, String recipient, int attempt) {
        return envelope(deliveryId, recipient, attempt, List.of());
    }

    private static OutboundEnvelope envelope(String deliveryId, String recipient, OutboundAttachment... attachments) {
        return envelope(deliveryId, recipient, 1, List.of(attachments));
    }

    private static OutboundEnvelope envelope(String deliveryId, String recipient, int attempt,
                                             List<OutboundAttachment> attachments) {
        byte[] body = "Sehr geehrte Damen und Herren,\nanbei Ihr Bescheid.".getBytes(StandardCharsets.UTF_8);
        return new OutboundEnvelope("msg-1", deliveryId, attempt, "stadt-bad-vilbel", SENDER,
                new ChannelAddress("loopback", recipient), "Gebührenbescheid; Frist 1,5 Monate",
                () -> new ByteArrayInputStream(body), "AZ 12/3-ü", Set.of(DeliveryOption.DELIVERY_RECEIPT),
                attachments);
    }

    private static OutboundAttachment attachment(String name, byte[] content) {
        ContentSource source = () -> new ByteArrayInputStream(content);
        return new OutboundAttachment(name, "application/pdf", content.length, ContentDigester.hexOf(content),
                source);
    }

    private static OutgoingLetter letter(String to, boolean receiptWanted) {
        return new OutgoingLetter(to, "Antrag auf Sondernutzung", "Sehr geehrte Damen und Herren, anbei der Antrag.",
                receiptWanted, List.of(
                        new OutgoingLetter.Attachment("antrag.pdf", "application/pdf", PDF),
                        new OutgoingLetter.Attachment("lageplan.png", "image/png",
                                new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
    }

    /** Zero bytes in chunks with a pause before each: an upload that is slow but keeps moving. */
    private static final class TricklingInputStream extends InputStream {
        private final int chunkSize;
        private final long pauseMillis;
        private long left;
        private int leftInChunk;

        TricklingInputStream(int chunks, int chunkSize, long pauseMillis) {
            this.chunkSize = chunkSize;
            this.pauseMillis = pauseMillis;
            this.left = (long) chunks * chunkSize;
        }

        @Override
        public int read() throws InterruptedIOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws InterruptedIOException {
            if (left == 0) {
                return -1;
            }
            if (leftInChunk == 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while trickling");
                }
                leftInChunk = chunkSize;
            }
            int n = Math.min(len, leftInChunk);
            Arrays.fill(b, off, off + n, (byte) 0);
            leftInChunk -= n;
            left -= n;
            return n;
        }
    }
}
