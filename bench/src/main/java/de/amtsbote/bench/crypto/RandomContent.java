package de.amtsbote.bench.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Incompressible content of a given length from a seed, generated as a stream (1 GiB never sits in memory). */
final class RandomContent extends InputStream {

    private final SplittableRandom random;
    private long remaining;

    RandomContent(long length, long seed) {
        this.random = new SplittableRandom(seed);
        this.remaining = length;
    }

    static void write(Path file, long length, long seed) throws IOException {
        try (InputStream in = new RandomContent(length, seed); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
    }

    @Override
    public int read() {
        if (remaining <= 0) {
            return -1;
        }
        remaining--;
        return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long v = random.nextLong();
            for (int k = 0; k < 8; k++) {
                b[off + i + k] = (byte) (v >>> (8 * k));
            }
        }
        for (; i < n; i++) {
            b[off + i] = (byte) random.nextInt(256);
        }
        remaining -= n;
        return n;
    }
}
