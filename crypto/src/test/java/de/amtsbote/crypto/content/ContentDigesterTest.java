package de.amtsbote.crypto.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentDigesterTest {

    // SHA-256("abc") from FIPS 180-2, appendix B.1
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void digestsWhatIsReadThroughIt() throws IOException {
        ContentDigester d = new ContentDigester();
        try (InputStream in = d.watch(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)))) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(d.hex()).isEqualTo(ABC);
        assertThat(d.bytes()).isEqualTo(3);
    }

    @Test
    void digestsWhatIsWrittenThroughIt() throws IOException {
        ContentDigester d = new ContentDigester();
        try (OutputStream out = d.watch(OutputStream.nullOutputStream())) {
            out.write('a');
            out.write("bc".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(d.hex()).isEqualTo(ABC);
    }

    @Test
    void digestsSmallValues() {
        assertThat(ContentDigester.hexOf("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
    }
}
