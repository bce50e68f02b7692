package de.amtsbote.adapter.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ChannelSettings;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in its own test JVM with a 40 MB heap (see the module's pom): an adapter that read an attachment into memory
 * instead of streaming it could not send the 50 MB attachment below.
 */
class LoopbackAdapterStreamingTest {

    private static final long FIFTY_MEGABYTES = 50L * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void streamsAFiftyMegabyteAttachmentWithoutHoldingItInMemory() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(FIFTY_MEGABYTES);
        ContentDigester digest = new ContentDigester();
        try (InputStream content = digest.watch(new PatternInputStream(FIFTY_MEGABYTES))) {
            content.transferTo(OutputStream.nullOutputStream());
        }
        OutboundAttachment plan = new OutboundAttachment("plan.tif", "image/tiff", FIFTY_MEGABYTES, digest.hex(),
                () -> new PatternInputStream(FIFTY_MEGABYTES));
        byte[] body = "Anbei die Planunterlagen".getBytes(StandardCharsets.UTF_8);

        try (LoopbackPeer peer = LoopbackPeer.builder(dataDir).mailboxes("poststelle").storeContent(false)
                .build().start();
             ChannelAdapter adapter = new LoopbackAdapterProvider().create(new ChannelSettings("loopback",
                     Map.of("endpoint", peer.baseUri().toString())))) {
            adapter.start(new ChannelContext(new RecordingSink(), Clock.systemUTC(), "node-a"));

            DispatchResult result = adapter.dispatch(new OutboundEnvelope("msg-1", "d-big", 1, "stadt-bad-vilbel",
                    new ChannelAddress("loopback", "stadt-bad-vilbel@gateway"),
                    new ChannelAddress("loopback", "poststelle@loopback.example"), "Planunterlagen",
                    () -> new ByteArrayInputStream(body), null, Set.of(DeliveryOption.DELIVERY_RECEIPT),
                    List.of(plan)));

            assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.DELIVERED);
            assertThat(peer.received("poststelle").get(0).parts().get(1).sha256()).isEqualTo(digest.hex());
            assertThat(peer.log().get(0).bytes()).isEqualTo(FIFTY_MEGABYTES + body.length);
        }
    }

    /** A deterministic byte pattern of a given length, generated as it is read. */
    private static final class PatternInputStream extends InputStream {
        private final long length;
        private long position;

        PatternInputStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            return position >= length ? -1 : (int) (position++ * 31 % 251);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (position++ * 31 % 251);
            }
            return n;
        }
    }
}
