package de.amtsbote.crypto.cms;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Streams seeded random content of a given size and remembers its SHA-256, so tests never hold a payload twice. */
public final class RandomContent {

    private RandomContent() {
    }

    /** Writes {@code size} random bytes in chunks of up to {@code chunk}, returns their SHA-256. */
    public static byte[] write(OutputStream out, long size, long seed, int chunk) throws IOException {
        Random random = new Random(seed);
        MessageDigest sha = sha256();
        byte[] buf = new byte[Math.max(1, chunk)];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            random.nextBytes(buf);
            out.write(buf, 0, n);
            sha.update(buf, 0, n);
            left -= n;
        }
        return sha.digest();
    }

    /** An output stream that only digests. */
    public static final class Digesting extends OutputStream {
        private final MessageDigest sha = sha256();
        private long count;

        @Override
        public void write(int b) {
            sha.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sha.update(b, off, len);
            count += len;
        }

        public byte[] digest() {
            return sha.digest();
        }

        public long count() {
            return count;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
