package de.amtsbote.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.GatewayProcess;
import de.amtsbote.gateway.testing.HeapSampler;
import de.amtsbote.gateway.testing.Generated;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.sandbox.loopback.ReceivedMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB attachment goes through a gateway that has 256 MiB of heap: accepted, stored encrypted, and dispatched
 * to the peer, whose digest of what it received matches. The gateway's heap is sampled throughout.
 */
class LargeAttachmentIT {

    private static final long SIZE = 1L << 30;
    private static final long SEED = 20261123;

    @Test
    void acceptsStoresAndDispatchesOneGibibyteWithAQuarterGibibyteOfHeap() throws Exception {
        Path work = Fleet.temporaryDirectory("amtsbote-large-");
        String expected = Generated.sha256Hex(SIZE, SEED);
        try (LoopbackPeer peer = LoopbackPeer.builder(work.resolve("peer")).mailboxes("poststelle")
                .domain("loopback.example").storeContent(false).build().start()) {
            Map<String, String> s = new LinkedHashMap<>(Fleet.settings("large", work.resolve("data"), peer));
            s.put("amtsbote.submission.max-message-size", "2GB");
            s.put("amtsbote.channels.loopback.max-message-size", "2GB");
            try (GatewayProcess gateway = GatewayProcess.configure(work.resolve("gateway"), s, "-Xmx256m").start()) {
                ApiClient api = new ApiClient(gateway.uri(), Fleet.CLIENT_TOKEN);
                HeapSampler heap = new HeapSampler(new ApiClient(gateway.uri(), Fleet.MONITORING_TOKEN));
                heap.start();
                long start = System.nanoTime();
                ApiClient.Response r = api.submit(new Multipart().envelope("""
                        {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"],
                         "subject": "Bauakte (gescannt)", "options": {"sign": false, "encrypt": false}}""")
                        .part("attachment", "bauakte.tif", "image/tiff", SIZE, () -> Generated.random(SIZE, SEED)));
                double acceptSeconds = (System.nanoTime() - start) / 1e9;

                assertThat(r.status()).as(r.toString()).isEqualTo(202);
                assertThat(r.json().get("attachments").get(0).get("size").asLong()).isEqualTo(SIZE);
                assertThat(r.json().get("attachments").get(0).get("sha256").asString()).isEqualTo(expected);
                long stored = storedBytes(work.resolve("data").resolve("content"));
                assertThat(stored).isBetween(SIZE, SIZE + SIZE / 1000);

                String id = r.json().get("id").asString();
                CrashRecoveryIT.awaitAllDelivered(peer, 1, Duration.ofMinutes(5));
                double deliveredSeconds = (System.nanoTime() - start) / 1e9;
                heap.stopSampling();
                ReceivedMessage received = peer.received("poststelle").get(0);
                assertThat(received.messageId()).isEqualTo(id);
                assertThat(received.parts().get(1).size()).isEqualTo(SIZE);
                assertThat(received.parts().get(1).sha256()).isEqualTo(expected);
                assertThat(heap.maxUsed()).isLessThan(256L << 20);

                Fleet.report("large-attachment", Fleet.figures("bytes", SIZE, "heapLimitMiB", 256,
                        "maxHeapUsedMiB", heap.maxUsed() >> 20, "heapSamples", heap.samples(),
                        "acceptSeconds", acceptSeconds, "acceptMiBPerSecond", (SIZE >> 20) / acceptSeconds,
                        "acceptedToDeliveredSeconds", deliveredSeconds - acceptSeconds,
                        "storedBytes", stored));
            }
        } finally {
            Fleet.deleteTree(work);
        }
    }

    private static long storedBytes(Path content) throws IOException {
        try (var files = Files.walk(content)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
