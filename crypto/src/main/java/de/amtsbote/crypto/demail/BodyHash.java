package de.amtsbote.crypto.demail;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * The body hash of the De-Mail integrity field ({@code bh=}), computed while the body streams through: DKIM
 * <em>simple</em> body canonicalisation (RFC 6376 3.4.3) — all empty lines at the end removed and exactly one CRLF
 * kept; an empty body is one CRLF — digested with one or more hashes in the same pass. Write the body (the bytes
 * after the empty line that ends the header block), close, then read {@link #digest}.
 *
 * <p>Trailing CRLFs are held back until a later byte shows they were not at the end, so memory stays constant.
 */
public final class BodyHash extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private final Map<Algorithm, MessageDigest> digests = new EnumMap<>(Algorithm.class);
    private final Map<Algorithm, byte[]> results = new EnumMap<>(Algorithm.class);
    private long heldCrlfs;
    private boolean heldCr;
    private boolean closed;

    /** Hashes with each of the given digests (SHA-256, SHA-384, SHA-512). */
    public BodyHash(Collection<Algorithm> algorithms) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("a body hash needs at least one digest");
        }
        for (Algorithm a : algorithms) {
            digests.put(a, JcaNames.messageDigest(a));
        }
    }

    public BodyHash(Algorithm algorithm) {
        this(java.util.List.of(algorithm));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the body hash is closed");
        }
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (heldCr) {
                if (c == '\n') {
                    heldCr = false;
                    heldCrlfs++;
                    start = i + 1;
                    continue;
                }
                releaseHeld();
                update(new byte[] {'\r'}, 0, 1);
                heldCr = false;
                start = i;
            }
            if (c == '\r') {
                update(b, start, i - start);
                heldCr = true;
                start = i + 1;
            } else if (heldCrlfs > 0) {
                releaseHeld();
                start = i;
            }
        }
        if (start < end) {
            update(b, start, end - start);
        }
    }

    private void releaseHeld() {
        for (; heldCrlfs > 0; heldCrlfs--) {
            update(CRLF, 0, 2);
        }
    }

    private void update(byte[] b, int off, int len) {
        if (len > 0) {
            for (MessageDigest d : digests.values()) {
                d.update(b, off, len);
            }
        }
    }

    /** Ends the body: a last line without its CRLF gets one, trailing empty lines are dropped. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (heldCr) {
            releaseHeld();
            update(new byte[] {'\r'}, 0, 1);
        }
        heldCrlfs = 0;
        update(CRLF, 0, 2);
        digests.forEach((a, d) -> results.put(a, d.digest()));
    }

    /** The hash with this digest; only after {@link #close()}. */
    public byte[] digest(Algorithm algorithm) {
        if (!closed) {
            throw new IllegalStateException("close the body hash before reading it");
        }
        byte[] r = results.get(algorithm);
        if (r == null) {
            throw new IllegalArgumentException("the body was not hashed with " + algorithm);
        }
        return r.clone();
    }
}
