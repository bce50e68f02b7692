package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.SignatureCheck;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A mail with a 100 MiB attachment goes out signed and encrypted, over SMTP into the listener, is decrypted, verified
 * and handed to the sink — in a JVM with a 40 MiB heap (surefire's streaming execution), so any step that held the
 * content in memory would fail here with an OutOfMemoryError.
 */
class SmimeStreamingTest {

    static final long SIZE = 100L << 20;

    /** Deterministic pseudo-random bytes, made while read. */
    static InputStream generated(long size) {
        return new InputStream() {
            long left = size;
            long state = 0x9E3779B97F4A7C15L;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    b[off + i] = (byte) state;
                }
                left -= n;
                return n;
            }
        };
    }

    @Test
    void sendsAndReceivesAHundredMebibyteAttachmentInASmallHeap() throws Exception {
        TestWorld world = TestWorld.get();
        ContentDigester expected = new ContentDigester();
        try (InputStream in = expected.watch(generated(SIZE))) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        RecordingSink sink = new RecordingSink(true);
        SmimeAdapter receiver = world.start(Map.of("max-message-size", "200MB"), sink, world.directory(),
                ChannelMemory.inProcess());
        SmimeAdapter sender = world.start(Map.of("relay.host", "127.0.0.1",
                "relay.port", Integer.toString(receiver.listenerPort()), "relay.tls", "none",
                "relay.timeout", "120s", "listen.enabled", "false"), new RecordingSink(),
                world.directory().certificate(TestWorld.BAD_VILBEL_ADDRESS, world.ourEncryptionCertificate),
                ChannelMemory.inProcess());
        try {
            OutboundAttachment big = new OutboundAttachment("Akte.bin", "application/octet-stream", SIZE,
                    expected.hex(), () -> generated(SIZE));
            long start = System.nanoTime();
            sender.dispatch(Envelopes.letter("d-big", TestWorld.BAD_VILBEL_ADDRESS,
                    Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT), big));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("100 MiB signed+encrypted, sent, received, decrypted, verified and stored in "
                    + millis + " ms; max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");

            assertThat(sink.quarantined).isEmpty();
            RecordingSink.Message m = sink.messages.get(0);
            assertThat(m.message().signature().status()).isEqualTo(SignatureCheck.Status.VALID);
            assertThat(m.parts()).singleElement().satisfies(p -> {
                assertThat(p.fileName()).isEqualTo("Akte.bin");
                assertThat(p.size()).isEqualTo(SIZE);
                assertThat(p.sha256()).isEqualTo(expected.hex());
            });
            assertThat(Runtime.getRuntime().maxMemory()).isLessThan(64L << 20);
        } finally {
            sender.close();
            receiver.close();
        }
    }
}
