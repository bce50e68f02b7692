package de.amtsbote.crypto.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.RandomContent;
import de.amtsbote.crypto.cms.TestPki;
import de.amtsbote.crypto.cms.TestValidator;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Pushes hundreds of megabytes through sign-then-encrypt and back through decrypt-and-verify, writer and reader joined
 * by a pipe, in a JVM with a 40 MB heap (the surefire execution for *StreamingTest): code that held the content, the
 * ciphertext or a layer would run out of memory.
 */
class SmimeStreamingTest {

    static final long SIZE = 256L * 1024 * 1024;
    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final byte[] HEADERS = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    static final ExecutorService WRITER = Executors.newSingleThreadExecutor();

    @AfterAll
    static void stop() {
        WRITER.shutdownNow();
    }

    @Test
    void signsEncryptsDecryptsAndVerifiesQuarterOfAGigabyteInAFortyMegabyteHeap() throws Exception {
        CmsSigner signer = CmsSigner.builder(PKI.key("rsa"), POLICY).build();
        CmsEncryptor encryptor = CmsEncryptor.builder(POLICY, VALIDATOR).recipient(PKI.cert("bp256").certificate())
                .build();
        PipedInputStream wire = new PipedInputStream(1024 * 1024);
        PipedOutputStream writerEnd = new PipedOutputStream(wire);
        long started = System.nanoTime();
        Future<byte[]> sent = WRITER.submit(() -> {
            try (OutputStream s = SmimeWriter.signed(SmimeWriter.encrypted(writerEnd, encryptor), signer)) {
                s.write(HEADERS);
                return RandomContent.write(s, SIZE, 42, 64 * 1024);
            }
        });
        RandomContent.Digesting inner = new RandomContent.Digesting();
        SmimeResult r;
        try (wire) {
            r = new SmimeOpener(CmsOpener.builder(POLICY, VALIDATOR).decryptionKeys(List.of(PKI.key("bp256"))).build())
                    .open(wire, new SkipHeaders(inner, HEADERS.length));
        }
        byte[] digest = sent.get(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("S/MIME sign+encrypt+decrypt+verify of %d MiB with a %d MiB heap: %.1f s (%.0f MiB/s)%n",
                SIZE >> 20, Runtime.getRuntime().maxMemory() >> 20, seconds, (SIZE >> 20) / seconds);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).extracting(SmimeLayer::kind)
                .containsExactly(SmimeLayer.Kind.ENCRYPTED, SmimeLayer.Kind.SIGNED);
        assertThat(inner.count()).isEqualTo(SIZE);
        assertThat(inner.digest()).isEqualTo(digest);
    }

    /** Passes on the body of the inner entity only. */
    static final class SkipHeaders extends OutputStream {
        private final OutputStream out;
        private long skip;

        SkipHeaders(OutputStream out, long skip) {
            this.out = out;
            this.skip = skip;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int s = (int) Math.min(skip, len);
            skip -= s;
            if (len > s) {
                out.write(b, off + s, len - s);
            }
        }
    }
}
