package de.amtsbote.gateway.testing;

import java.io.InputStream;
import java.util.SplittableRandom;

/** Content of a given size produced on the fly, so tests can send gigabytes without holding them. */
public final class Generated extends InputStream {

    private final SplittableRandom random;
    private long left;

    private Generated(long size, SplittableRandom random) {
        this.left = size;
        this.random = random;
    }

    /** {@code size} zero bytes. */
    public static InputStream zeros(long size) {
        return new Generated(size, null);
    }

    /** {@code size} pseudo-random bytes; the same seed gives the same bytes. */
    public static InputStream random(long size, long seed) {
        return new Generated(size, new SplittableRandom(seed));
    }

    /** The SHA-256 (lower-case hex) of {@link #random(long, long)}'s bytes, computed by streaming them once. */
    public static String sha256Hex(long size, long seed) {
        de.amtsbote.crypto.content.ContentDigester d = new de.amtsbote.crypto.content.ContentDigester();
        try (InputStream in = d.watch(random(size, seed))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return d.hex();
    }

    @Override
    public int read() {
        if (left == 0) {
            return -1;
        }
        left--;
        return random == null ? 0 : random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left == 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        if (random == null) {
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
        } else {
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long r = random.nextLong();
                for (int k = 0; k < 8; k++) {
                    b[off + i + k] = (byte) (r >>> (k * 8));
                }
            }
            for (; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
        }
        left -= n;
        return n;
    }
}
