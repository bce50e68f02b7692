package de.amtsbote.crypto.content;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Computes the digest of content while it streams past, so content is read once. The API publishes it as
 * {@code sha256}: SHA-256 (BSI TR-02102-1, section 4) as lower-case hex.
 */
public final class ContentDigester {

    private final MessageDigest digest;
    private long bytes;
    private String hex;

    public ContentDigester() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Digests whatever is read through the returned stream. */
    public InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    update(b, off, n);
                }
                return n;
            }
        };
    }

    /** Digests whatever is written through the returned stream. */
    public OutputStream watch(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                update(new byte[] {(byte) b}, 0, 1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                update(b, off, len);
                out.write(b, off, len);
            }
        };
    }

    public void update(byte[] b, int off, int len) {
        if (hex != null) {
            throw new IllegalStateException("digest already finished");
        }
        digest.update(b, off, len);
        bytes += len;
    }

    /** The number of bytes digested so far. */
    public long bytes() {
        return bytes;
    }

    /** Finishes the digest; later calls return the same value. */
    public String hex() {
        if (hex == null) {
            hex = HexFormat.of().formatHex(digest.digest());
        }
        return hex;
    }

    /** The digest of a small value (a manifest, a document), as lower-case hex. */
    public static String hexOf(byte[] value) {
        ContentDigester d = new ContentDigester();
        d.update(value, 0, value.length);
        return d.hex();
    }
}
