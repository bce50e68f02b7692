package de.amtsbote.sandbox.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Runs in its own test JVM with a 40 MB heap (see the module's pom): a peer that held a part in memory instead of
 * streaming it could not take the 50 MB part below.
 */
class LoopbackPeerStreamingTest {

    private static final long FIFTY_MEGABYTES = 50L * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void digestsAFiftyMegabytePartWithoutHoldingItInMemory() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(FIFTY_MEGABYTES);
        ContentDigester expected = new ContentDigester();
        try (InputStream generated = expected.watch(new PatternInputStream(FIFTY_MEGABYTES))) {
            generated.transferTo(OutputStream.nullOutputStream());
        }

        try (LoopbackPeer peer = LoopbackPeer.builder(dataDir).mailboxes("poststelle").storeContent(false)
                .build().start()) {
            HttpResponse<String> response = new PeerClient(peer.baseUri()).delivery("poststelle", "d-big")
                    .body("Anbei die Planunterlagen")
                    .part(new PeerClient.Part("plan.tif", "image/tiff", FIFTY_MEGABYTES,
                            () -> new PatternInputStream(FIFTY_MEGABYTES)))
                    .send();

            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode part = PeerClient.json(response).get("parts").get(1);
            assertThat(part.get("size").longValue()).isEqualTo(FIFTY_MEGABYTES);
            assertThat(part.get("sha256").stringValue()).isEqualTo(expected.hex());
            assertThat(peer.log().get(0).bytes()).isEqualTo(FIFTY_MEGABYTES + "Anbei die Planunterlagen".length());
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
            if (position >= length) {
                return -1;
            }
            return (int) (position++ * 31 % 251);
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
