package de.amtsbote.crypto.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MultipartSignedReaderTest {

    static final String B = "b0undary";

    /** Splits a body into its two parts as the reader sees them, reading in chunks of random sizes. */
    static List<String> parts(String body, long seed) throws Exception {
        MultipartSignedReader r = new MultipartSignedReader(new Trickle(body.getBytes(StandardCharsets.ISO_8859_1),
                seed), B);
        r.skipPreamble();
        String first = read(r.nextPart(), seed);
        String second = read(r.nextPart(), seed + 1);
        assertThat(r.closeDelimiterSeen()).isTrue();
        r.drainEpilogue();
        return List.of(first, second);
    }

    static String read(InputStream part, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[300];
        while (true) {
            int n = part.read(buf, 0, 1 + random.nextInt(buf.length));
            if (n < 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            out.write(buf, 0, n);
        }
    }

    @Provide
    Arbitrary<String> contents() {
        // pieces that look like delimiters without being one (never "--b0undary" after a line break followed by a
        // line end, space or "--"), and line breaks of both kinds
        return Arbitraries.of("a", "b", "-", "--", "\r", "\n", "\r\n", "--b0und", "\n--b0undaryX", "\r\n--b0undary_",
                        "0", " ")
                .list().ofMaxSize(4000).map(l -> String.join("", l));
    }

    @Property(tries = 200)
    void handsOutTheFirstPartExactlyWhateverItContains(@ForAll("contents") String content, @ForAll long seed,
                                                       @ForAll boolean lfOnly) throws Exception {
        String eol = lfOnly ? "\n" : "\r\n";
        if (lfOnly && content.endsWith("\r")) {
            content += "a"; // CR before a bare-LF delimiter reads as a CRLF delimiter, as it should
        }
        String body = "preamble" + eol + "--" + B + eol + content + eol + "--" + B + eol
                + "Content-Type: application/pkcs7-signature" + eol + eol + "c2ln" + eol + "--" + B + "--" + eol
                + "epilogue";
        List<String> parts = parts(body, seed);
        assertThat(parts.get(0)).isEqualTo(content);
        assertThat(parts.get(1)).isEqualTo("Content-Type: application/pkcs7-signature" + eol + eol + "c2ln");
    }

    @Property(tries = 20)
    void handlesPartsLargerThanItsBuffer(@ForAll @IntRange(min = 60_000, max = 300_000) int size, @ForAll long seed)
            throws Exception {
        char[] c = new char[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            c[i] = "ab\r\n-".charAt(random.nextInt(5));
        }
        String content = new String(c);
        String body = "--" + B + "\r\n" + content + "\r\n--" + B + "\r\nX: y\r\n\r\nz\r\n--" + B + "--\r\n";
        assertThat(parts(body, seed).get(0)).isEqualTo(content);
    }

    @Test
    void acceptsTransportPaddingAfterADelimiter() throws Exception {
        String body = "--" + B + " \t\r\nfirst\r\n--" + B + "  \r\nsecond\r\n--" + B + "--  \r\n";
        assertThat(parts(body, 1)).containsExactly("first", "second");
    }

    @Test
    void refusesABodyWithoutItsClosingDelimiter() throws Exception {
        MultipartSignedReader r = new MultipartSignedReader(new ByteArrayInputStream(
                ("--" + B + "\r\nfirst part never ends").getBytes(StandardCharsets.US_ASCII)), B);
        r.skipPreamble();
        assertThatThrownBy(() -> read(r.nextPart(), 1)).isInstanceOf(IOException.class)
                .hasCauseInstanceOf(MimeException.class).hasMessageContaining("ends without the delimiter");
    }

    @Test
    void refusesABodyWithoutAnyDelimiter() {
        MultipartSignedReader r = new MultipartSignedReader(new ByteArrayInputStream(
                "no parts here\r\n".getBytes(StandardCharsets.US_ASCII)), B);
        assertThatThrownBy(r::skipPreamble).isInstanceOf(MimeException.class).hasMessageContaining("--" + B);
    }

    /** Gives out at most a few bytes per read, so that delimiters fall across reads. */
    static final class Trickle extends FilterInputStream {
        private final Random random;

        Trickle(byte[] data, long seed) {
            super(new ByteArrayInputStream(data));
            this.random = new Random(seed);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(random.nextBoolean() ? 7 : 5000)));
        }
    }
}
