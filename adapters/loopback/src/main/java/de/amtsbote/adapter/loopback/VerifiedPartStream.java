package de.amtsbote.adapter.loopback;

import de.amtsbote.crypto.content.ContentDigester;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A part fetched from the peer, checked against the size and SHA-256 the peer announced for it. A mismatch fails
 * the read at the end of the stream, so the gateway does not store the message and the item is fetched again.
 */
final class VerifiedPartStream extends FilterInputStream {

    private final String what;
    private final long size;
    private final String sha256;
    private final ContentDigester digester = new ContentDigester();
    private boolean verified;

    VerifiedPartStream(InputStream in, String what, long size, String sha256) {
        super(in);
        this.what = what;
        this.size = size;
        this.sha256 = sha256;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            digester.update(b, off, n);
            if (digester.bytes() > size) {
                throw new IOException(what + " is longer than the " + size + " bytes the peer announced");
            }
        } else if (n < 0 && !verified) {
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would escape the digest; read them instead.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        verified = true;
        if (digester.bytes() != size) {
            throw new IOException(what + " has " + digester.bytes() + " bytes, the peer announced " + size);
        }
        if (sha256 != null && !digester.hex().equalsIgnoreCase(sha256)) {
            throw new IOException(what + " has SHA-256 " + digester.hex() + ", the peer announced " + sha256);
        }
    }
}
