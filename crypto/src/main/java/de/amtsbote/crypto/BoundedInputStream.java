package de.amtsbote.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Delivers at most {@code limit} bytes of a stream and then fails with {@link LimitExceededException}, which names
 * what was being read. Every parser of outside input in {@code crypto/} reads through one (XML documents, CRLs,
 * OCSP answers), so a hostile peer cannot make us read without end.
 */
public final class BoundedInputStream extends FilterInputStream {

    /** The limit was passed; the message names what was read and the limit. */
    public static final class LimitExceededException extends IOException {
        private final long limit;

        LimitExceededException(String what, long limit) {
            super(what + " is larger than the limit of " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private final long limit;
    private final String what;
    private final boolean closesSource;
    private long count;
    private boolean exceeded;

    /**
     * @param what         what is read, for the message ("the answer from http://…/ocsp", "input")
     * @param closesSource whether closing this stream closes {@code in}; parsers close what they are given, and a
     *                     caller that owns its stream says false
     */
    public BoundedInputStream(InputStream in, long limit, String what, boolean closesSource) {
        super(Objects.requireNonNull(in, "in"));
        this.limit = limit;
        this.what = Objects.requireNonNull(what, "what");
        this.closesSource = closesSource;
    }

    /** Whether the limit was passed (a parser may have wrapped the exception in one of its own). */
    public boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (closesSource) {
            super.close();
        }
    }

    private void count(long n) throws LimitExceededException {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new LimitExceededException(what, limit);
        }
    }
}
