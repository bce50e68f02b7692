package de.amtsbote.adapter.bebpo;

import static de.amtsbote.adapter.bebpo.BebpoWorld.AMT;
import static de.amtsbote.adapter.bebpo.BebpoWorld.AMT_MAILBOX;
import static de.amtsbote.adapter.bebpo.BebpoWorld.COURT_MAILBOX;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in the small-heap fork (-Xmx40m, see the parent POM's "streaming-small-heap" execution): a 64 MiB attachment
 * is encrypted into a spool file and sent as an MTOM part, and the in-test intermediary stores it, in one JVM whose
 * heap could not hold it once.
 */
class BebpoStreamingTest {

    static final long SIZE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void a64MibAttachmentIsDispatchedWithinASmallHeap() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        try (BebpoWorld world = new BebpoWorld(dir, Map.of("max-message-size", "100MB", "receive-timeout", "120s"))) {
            world.intermediary.keepRequests = false;
            OutboundAttachment big = new OutboundAttachment("akte.pdf", "application/pdf", SIZE, "00",
                    () -> new PatternStream(SIZE));
            OutboundEnvelope envelope = new OutboundEnvelope("msg-big", "delivery-big", 1, AMT,
                    new ChannelAddress("bebpo", AMT_MAILBOX), new ChannelAddress("bebpo", COURT_MAILBOX),
                    "Große Akte", BebpoWorld.text("siehe Anlage"), null, Set.of(DeliveryOption.ENCRYPT),
                    List.of(big));
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long start = System.nanoTime();
            DispatchResult result = world.adapter.dispatch(envelope);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();

            FakeIntermediary.Stored stored = world.intermediary.stored.get(result.transportReference());
            // IV (12) + ciphertext + GCM tag (16)
            assertThat(Files.size(stored.parts.get("att-1"))).isEqualTo(SIZE + 28);
            assertThat(maxHeap).isLessThan(SIZE);
            System.out.printf("beBPo streaming: %d MiB attachment dispatched in %d ms; max heap %d MiB, peak heap"
                    + " used (sum of pools) %d MiB%n", SIZE >> 20, millis, maxHeap >> 20, peak >> 20);
        }
    }

    /** Deterministic content of a given length, generated as it is read. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ * 31 % 251) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 31 % 251);
            }
            position += n;
            return n;
        }
    }
}
