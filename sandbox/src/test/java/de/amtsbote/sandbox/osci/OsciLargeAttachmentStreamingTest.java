package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.OsciTestWorld.AGENCY;
import static de.amtsbote.sandbox.osci.OsciTestWorld.COURT;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large attachment through storeDelivery and fetchDelivery, end to end between two played mailboxes, in the
 * module's small-heap test JVM ({@code *StreamingTest}: -Xmx40m): anything that held the attachment in memory fails
 * with an OutOfMemoryError. 200 MiB by default (some 15 s here); {@code -Dosci.large.mb=N} for another size (run alone with
 * {@code ./mvnw -o -pl sandbox surefire:test@streaming-small-heap -Dosci.large.mb=200}).
 */
class OsciLargeAttachmentStreamingTest {

    @TempDir
    Path dir;

    @Test
    void aLargeAttachmentIsStoredAndFetchedWithoutBeingHeldInMemory() throws Exception {
        long megabytes = Long.getLong("osci.large.mb", 200);
        long size = megabytes * 1024 * 1024;
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(size);
        Path big = dir.resolve("akte.bin");
        MessageDigest expected = JcaNames.messageDigest(Algorithm.SHA256);
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long written = 0; written < size; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        chunk[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                int n = (int) Math.min(chunk.length, size - written);
                out.write(chunk, 0, n);
                expected.update(chunk, 0, n);
            }
        }
        resetPeaks();
        try (OsciTestWorld world = OsciTestWorld.start(dir.resolve("world"), b -> { })) {
            long start = System.nanoTime();
            SentDelivery sent = world.osci.mailbox(AGENCY).send(OutgoingDelivery.to(COURT).subject("Akte")
                    .attach(big).build());
            long stored = System.nanoTime();
            List<ReceivedDelivery> got = world.osci.mailbox(COURT).fetchNow();
            long fetched = System.nanoTime();

            assertThat(got).hasSize(1);
            ReceivedDelivery r = got.get(0);
            assertThat(r.messageId()).isEqualTo(sent.messageId());
            assertThat(r.problems()).isEmpty();
            ReceivedDelivery.Attachment a = r.attachments().get(0);
            assertThat(a.size()).isEqualTo(size);
            assertThat(a.sha256()).isEqualTo(Base64.getEncoder().encodeToString(expected.digest()));
            assertThat(a.intact()).isTrue();
            System.out.printf("OSCI %d MiB: store %.1f s, fetch+decrypt %.1f s, peak heap %.1f MiB of max %.1f MiB%n",
                    megabytes, (stored - start) / 1e9, (fetched - stored) / 1e9, peakHeap() / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
        }
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
