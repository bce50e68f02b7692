package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Base64;

/** Streams that count and SHA-256-hash what passes, for the Size and Digest attributes of the contract. */
final class DigestingStreams {

    private DigestingStreams() {
    }

    static final class Out extends FilterOutputStream {
        private final MessageDigest digest = JcaNames.messageDigest(Algorithm.SHA256);
        private long count;

        Out(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }

        /** Base64 of the SHA-256 of everything written; call once, after closing. */
        String digest() {
            return Base64.getEncoder().encodeToString(digest.digest());
        }
    }

    static final class In extends FilterInputStream {
        private final MessageDigest digest = JcaNames.messageDigest(Algorithm.SHA256);
        private final long limit;
        private final String what;
        private long count;

        /** @param limit the most bytes allowed through; more fails the read with the message {@code what} */
        In(InputStream in, long limit, String what) {
            super(in);
            this.limit = limit;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) {
            return 0; // every byte must pass the digest
        }

        private void count(long n) throws IOException {
            count += n;
            if (count > limit) {
                throw new TooLargeException(what);
            }
        }

        long count() {
            return count;
        }

        String digest() {
            return Base64.getEncoder().encodeToString(digest.digest());
        }
    }

    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }
}
