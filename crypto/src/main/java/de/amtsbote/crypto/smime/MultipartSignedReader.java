package de.amtsbote.crypto.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the body of a multipart/signed entity (RFC 1847, RFC 2046 5.1.1) from a stream without holding a part: the
 * first body part is handed out byte for byte exactly as it stands between the delimiters (the line break before a
 * delimiter belongs to the delimiter), the signature part after it. Delimiter lines may end in CRLF or a bare LF.
 */
final class MultipartSignedReader {

    /** The preamble is skipped up to this many bytes; a longer one is refused. */
    static final int MAX_PREAMBLE = 64 * 1024;

    private final InputStream in;
    private final byte[] boundaryLine; // "--" + boundary
    private final byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private boolean closeDelimiterSeen;

    MultipartSignedReader(InputStream in, String boundary) {
        this.in = in;
        this.boundaryLine = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Skips the preamble up to and including the first delimiter line. */
    void skipPreamble() throws IOException, MimeException {
        long skipped = 0;
        while (true) {
            fill(boundaryLine.length + 2);
            if (end - start >= boundaryLine.length && startsWith(start, boundaryLine)) {
                int after = start + boundaryLine.length;
                fill(boundaryLine.length + 2);
                if (after >= end || isLineEndOrSpace(buf[after])) {
                    start = after;
                    finishDelimiterLine();
                    return;
                }
            }
            // skip one line
            while (true) {
                if (start >= end) {
                    fill(1);
                    if (start >= end) {
                        throw new MimeException("the multipart/signed body has no delimiter line --" + boundary());
                    }
                }
                byte b = buf[start++];
                if (++skipped > MAX_PREAMBLE) {
                    throw new MimeException("the multipart/signed preamble is longer than " + MAX_PREAMBLE + " bytes");
                }
                if (b == '\n') {
                    break;
                }
            }
        }
    }

    /**
     * The next body part as a stream that ends at the next delimiter. Read it to its end before asking for the next
     * one; {@link #closeDelimiterSeen()} then tells whether it was the last.
     */
    InputStream nextPart() throws MimeException {
        if (closeDelimiterSeen) {
            throw new MimeException("the multipart/signed body has no further part");
        }
        return new Part();
    }

    boolean closeDelimiterSeen() {
        return closeDelimiterSeen;
    }

    /** Reads and drops the epilogue. */
    void drainEpilogue() throws IOException {
        start = end;
        in.transferTo(java.io.OutputStream.nullOutputStream());
    }

    private String boundary() {
        return new String(boundaryLine, 2, boundaryLine.length - 2, StandardCharsets.ISO_8859_1);
    }

    private final class Part extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int need = boundaryLine.length + 4; // CR LF delimiter and two bytes after it
            while (true) {
                fill(need);
                int found = findDelimiter();
                if (found >= 0) {
                    // the CR or LF starting at `found` belongs to the delimiter
                    int available = found - start;
                    if (available > 0) {
                        int n = Math.min(available, len);
                        System.arraycopy(buf, start, b, off, n);
                        start += n;
                        return n;
                    }
                    start = found + (buf[found] == '\r' ? 2 : 1) + boundaryLine.length;
                    if (start + 1 < end && buf[start] == '-' && buf[start + 1] == '-') {
                        closeDelimiterSeen = true;
                        start += 2;
                    }
                    finishDelimiterLine();
                    done = true;
                    return -1;
                }
                if (eof) {
                    throw new IOException(new MimeException("the multipart/signed body ends without the delimiter --"
                            + boundary()));
                }
                // everything but a tail that could start a delimiter is content
                int safe = end - need;
                if (safe > start && buf[safe - 1] == '\r') {
                    safe--; // a CR right before the held-back tail may start a delimiter's line break
                }
                if (safe > start) {
                    int n = Math.min(safe - start, len);
                    System.arraycopy(buf, start, b, off, n);
                    start += n;
                    return n;
                }
                need = Math.min(buf.length, need * 2);
            }
        }
    }

    /**
     * The index of the CR (or lone LF) that starts "CRLF--boundary" / "LF--boundary" followed by "--", space, tab,
     * CR or LF, within the buffered bytes; -1 if there is none that can be decided yet.
     */
    private int findDelimiter() {
        for (int i = start; i < end; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            int at = i + 1;
            if (end - at < boundaryLine.length + 2 && !eof) {
                return -1; // undecided: let the caller fill more first
            }
            if (end - at >= boundaryLine.length && startsWith(at, boundaryLine)) {
                int after = at + boundaryLine.length;
                if (after >= end || isLineEndOrSpace(buf[after]) || buf[after] == '-') {
                    return i > start && buf[i - 1] == '\r' ? i - 1 : i;
                }
            }
        }
        return -1;
    }

    /** After "--boundary" (and "--" for the close delimiter): skip transport padding and the line break. */
    private void finishDelimiterLine() throws IOException {
        while (true) {
            fill(2);
            if (start >= end) {
                return;
            }
            byte b = buf[start];
            if (b == ' ' || b == '\t' || b == '\r') {
                start++;
            } else if (b == '\n') {
                start++;
                return;
            } else {
                return;
            }
        }
    }

    private boolean startsWith(int at, byte[] prefix) {
        for (int j = 0; j < prefix.length; j++) {
            if (buf[at + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLineEndOrSpace(byte b) {
        return b == '\r' || b == '\n' || b == ' ' || b == '\t';
    }

    /** Makes at least {@code n} bytes available from {@code start} unless the stream ends first. */
    private void fill(int n) throws IOException {
        if (end - start >= n || eof) {
            return;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < n && end < buf.length) {
            int r = in.read(buf, end, buf.length - end);
            if (r < 0) {
                eof = true;
                return;
            }
            end += r;
        }
    }
}
