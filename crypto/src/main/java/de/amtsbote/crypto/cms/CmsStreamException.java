package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.CryptoException;
import java.io.IOException;

/**
 * A cryptographic failure that surfaced inside a stream: the signing key refused to sign when a signing stream was
 * closed, a key operation failed while a content stream was being finished. Streams can only throw
 * {@link IOException}; this one carries the {@link CryptoException} that names what failed.
 */
public final class CmsStreamException extends IOException {

    public CmsStreamException(CryptoException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized CryptoException getCause() {
        return (CryptoException) super.getCause();
    }
}
