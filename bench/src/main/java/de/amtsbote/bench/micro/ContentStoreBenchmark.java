package de.amtsbote.bench.micro;

import de.amtsbote.crypto.content.ContentCipher;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.content.ContentKeyRing;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A content store write as the gateway does it for every attachment (gateway {@code ContentStore.write}): the
 * stream is digested (SHA-256, {@link ContentDigester}) and encrypted (AES-256-GCM with a key derived for the item,
 * {@link ContentCipher}) into a new file, 64 KiB at a time, and with {@code fsync} forced to disk before the
 * submission may commit. The files are removed after each iteration, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ContentStoreBenchmark {

    @Param({"10240", "1048576", "10485760"})
    public int size;

    @Param({"true", "false"})
    public boolean fsync;

    private final AtomicLong sequence = new AtomicLong();
    private Path dir;
    private ContentCipher cipher;
    private byte[] content;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("amtsbote-bench-content");
        cipher = new ContentCipher(ContentKeyRing.of(Map.of("bench-1", MicroContent.bytes(32, 3))));
        content = MicroContent.bytes(size, 4);
    }

    @TearDown(Level.Iteration)
    public void removeFiles() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        MicroContent.deleteTree(dir);
    }

    @Benchmark
    public String write() throws IOException {
        String id = "item-" + sequence.incrementAndGet();
        ContentDigester digester = new ContentDigester();
        try (FileChannel channel = FileChannel.open(dir.resolve(id), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            OutputStream toFile = new FilterOutputStream(Channels.newOutputStream(channel)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the channel is closed (after fsync) by the outer try
                }
            };
            try (InputStream in = new ByteArrayInputStream(content);
                 OutputStream out = digester.watch(cipher.encrypt(toFile, id))) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            }
            if (fsync) {
                channel.force(true);
            }
        }
        return digester.hex();
    }
}
