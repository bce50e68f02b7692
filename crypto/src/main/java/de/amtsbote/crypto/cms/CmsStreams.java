package de.amtsbote.crypto.cms;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * Stream plumbing shared by the opener: telling the caller's stream failures (rethrown as they are) from failures of
 * the message (turned into result states), and peeking at a ContentInfo's type without consuming it.
 */
final class CmsStreams {

    static final int COPY_BUFFER = 64 * 1024;

    private CmsStreams() {
    }

    /** Remembers an exception the caller's input stream threw, so it is not mistaken for a broken message. */
    static final class Source extends FilterInputStream {
        private IOException failure;

        Source(InputStream in) {
            super(in);
        }

        // a failure is sticky: once the caller's stream failed, every later read fails the same way, so that a
        // parser cannot mistake the broken stream for an early end
        @Override
        public int read() throws IOException {
            rethrowIfFailed();
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            rethrowIfFailed();
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            rethrowIfFailed();
            try {
                return super.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        /** Whether {@code e} is the caller's stream failure, already thrown once. */
        boolean threw(IOException e) {
            return e == failure;
        }

        /** Throws the caller's own exception if the caller's stream failed. */
        void rethrowIfFailed() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Remembers an exception the caller's output stream threw. */
    static final class Sink extends FilterOutputStream {
        private IOException failure;

        Sink(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        void rethrowIfFailed() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * The contentType of a ContentInfo at the start of the stream, or null if it does not start like one. The stream
     * is left where it was.
     */
    static ASN1ObjectIdentifier peekContentType(BufferedInputStream in) throws IOException {
        in.mark(128);
        try {
            if (in.read() != 0x30) {
                return null;
            }
            int len = in.read();
            if (len < 0) {
                return null;
            }
            if (len > 0x80) {
                int n = len & 0x7f;
                if (n > 4 || in.skip(n) != n) {
                    return null;
                }
            }
            if (in.read() != 0x06) {
                return null;
            }
            int oidLength = in.read();
            if (oidLength <= 0 || oidLength > 64) {
                return null;
            }
            byte[] der = new byte[oidLength + 2];
            der[0] = 0x06;
            der[1] = (byte) oidLength;
            if (in.readNBytes(der, 2, oidLength) != oidLength) {
                return null;
            }
            return ASN1ObjectIdentifier.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IllegalArgumentException e) {
            return null; // not an object identifier: not a ContentInfo
        } finally {
            in.reset();
        }
    }

    /** Copies until the end of {@code in}. */
    static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    /** Whether {@code t} or one of its causes is {@code target}. */
    static boolean causedBy(Throwable t, Throwable target) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c == target) {
                return true;
            }
        }
        return false;
    }
}
