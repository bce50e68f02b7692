package de.amtsbote.gateway.bebpo;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.GatewayProcess;
import de.amtsbote.gateway.testing.Generated;
import de.amtsbote.gateway.testing.HeapSampler;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.sandbox.osci.ReceivedDelivery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A 200 MiB attachment goes over the beBPo channel end to end through a gateway with 256 MiB of heap: submitted,
 * stored encrypted at rest, signed and encrypted end to end into an OSCI delivery, stored at the sandbox
 * intermediary, fetched and decrypted by the court, whose digest of the plain bytes matches what was submitted.
 * The gateway's heap is sampled throughout. {@code -Dbebpo.large.mb=N} changes the size.
 */
class BebpoLargeAttachmentIT {

    private static final long SIZE = Long.getLong("bebpo.large.mb", 200) << 20;
    private static final long SEED = 20261125;

    @Test
    void twoHundredMebibytesEndToEndWithAQuarterGibibyteOfHeap() throws Exception {
        Path work = Fleet.temporaryDirectory("amtsbote-bebpo-large-");
        String expected = Generated.sha256Hex(SIZE, SEED);
        try (BebpoWorld world = new BebpoWorld(work.resolve("world"), 2 * SIZE)) {
            Map<String, String> s = new LinkedHashMap<>(world.gatewayProperties());
            s.put("amtsbote.node-id", "bebpo-large");
            s.put("amtsbote.storage.directory", work.resolve("data").toString());
            s.put("amtsbote.submission.max-message-size", "1GB");
            s.put("amtsbote.channels.bebpo.max-message-size", "1GB");
            s.put("amtsbote.clients[0].id", "it-client");
            s.put("amtsbote.clients[0].token-sha256", ClientRegistry.digestOf(Fleet.CLIENT_TOKEN));
            s.put("amtsbote.clients[0].participants[0]", BebpoWorld.BAD_VILBEL);
            s.put("amtsbote.clients[1].id", "it-monitoring");
            s.put("amtsbote.clients[1].token-sha256", ClientRegistry.digestOf(Fleet.MONITORING_TOKEN));
            s.put("amtsbote.clients[1].roles[0]", "MONITORING");
            s.put("amtsbote.outbox.poll-interval", "200ms");
            try (GatewayProcess gateway = GatewayProcess.configure(work.resolve("gateway"), s, "-Xmx256m").start()) {
                ApiClient api = new ApiClient(gateway.uri(), Fleet.CLIENT_TOKEN);
                HeapSampler heap = new HeapSampler(new ApiClient(gateway.uri(), Fleet.MONITORING_TOKEN));
                heap.start();
                long start = System.nanoTime();
                ApiClient.Response r = api.submit(new Multipart().envelope("""
                        {"sender": "%s", "recipients": ["participant:amtsgericht-musterstadt"],
                         "subject": "Beiakte (gescannt)", "body": "Anbei die Beiakte.",
                         "options": {"receipts": ["delivery"]}}""".formatted(BebpoWorld.BAD_VILBEL))
                        .part("attachment", "beiakte.pdf", "application/pdf", SIZE, () -> Generated.random(SIZE, SEED)));
                double acceptSeconds = (System.nanoTime() - start) / 1e9;
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
                String id = r.json().get("id").asString();

                new MessagesApi(api, Duration.ofMinutes(5)).awaitState(id, "SENT");
                double sentSeconds = (System.nanoTime() - start) / 1e9;
                heap.stopSampling();

                long fetchStart = System.nanoTime();
                List<ReceivedDelivery> fetched = world.court().fetchNow();
                double fetchSeconds = (System.nanoTime() - fetchStart) / 1e9;
                assertThat(fetched).singleElement().satisfies(d -> {
                    assertThat(d.valid()).as(d.toString()).isTrue();
                    assertThat(d.attachments()).singleElement().satisfies(a -> {
                        assertThat(a.size()).isEqualTo(SIZE);
                        assertThat(a.intact()).isTrue();
                        assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(a.sha256())))
                                .isEqualTo(expected);
                    });
                });
                assertThat(heap.maxUsed()).isLessThan(256L << 20);

                Fleet.report("bebpo-large-attachment", Fleet.figures("bytes", SIZE, "heapLimitMiB", 256,
                        "maxHeapUsedMiB", heap.maxUsed() >> 20, "heapSamples", heap.samples(),
                        "acceptSeconds", acceptSeconds, "acceptedToSentSeconds", sentSeconds - acceptSeconds,
                        "courtFetchAndDecryptSeconds", fetchSeconds));
            }
        } finally {
            Fleet.deleteTree(work);
        }
    }
}
