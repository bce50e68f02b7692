package de.amtsbote.crypto.smime;

import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.cms.SigningStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The content side of a signed S/MIME entity being written. After {@link #close()}, {@link #sentSignature()} tells
 * what was signed (keep it when a receipt was requested).
 */
public class SmimeSigningStream extends FilterOutputStream {

    private final SigningStream signing;
    protected boolean closed;

    SmimeSigningStream(OutputStream content, SigningStream signing) {
        super(content);
        this.signing = signing != null ? signing : (SigningStream) content;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.close();
    }

    /** What was signed; available once the stream is closed. */
    public SentSignature sentSignature() {
        return signing.sentSignature();
    }
}
