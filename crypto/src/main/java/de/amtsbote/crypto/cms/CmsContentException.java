package de.amtsbote.crypto.cms;

import java.io.IOException;

/**
 * Thrown by a content stream of {@link SignedContent} or {@link DecryptedContent} when the message turns out bad while
 * its content is read (a GCM tag that does not verify, a truncated or garbled structure). The content read so far must
 * be discarded; the result names the failure.
 */
public final class CmsContentException extends IOException {

    public CmsContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
