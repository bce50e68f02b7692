package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An EnvelopedData or AuthEnvelopedData being decrypted: its content as a stream, and the result once the content is
 * through (for AES-GCM, the tag is checked at the end of the content).
 *
 * <p><b>The content is untrusted until {@link #result()} says valid.</b> AES-GCM content is handed out as it is
 * decrypted, before the tag at the end is checked ({@link de.amtsbote.crypto.content.StreamingGcm}), which is what
 * lets large messages stream; so write the content to a temporary store and discard it unless the result is valid. A content stream that fails mid-way (tag mismatch, bad padding, truncation)
 * throws {@link CmsContentException}.
 *
 * <p>When no key matched or the policy refused an algorithm, {@link #content()} is empty and the result says why:
 * nothing was decrypted.
 */
public final class DecryptedContent implements Closeable {

    private final CmsStreams.Source source;
    private final InputStream content;
    private final Draft draft;
    private DecryptionResult result;
    private CmsContentException contentFailure;

    private DecryptedContent(CmsStreams.Source source, InputStream content, Draft draft, DecryptionResult early) {
        this.source = source;
        this.content = content == null ? InputStream.nullInputStream() : new Guarded(content);
        this.draft = draft;
        this.result = early;
    }

    static DecryptedContent failed(Draft draft, DecryptionFailure failure, String detail,
                                   PolicyViolationException.Reason reason) {
        return new DecryptedContent(null, null, draft, draft.result(failure, detail, reason));
    }

    static DecryptedContent open(CmsStreams.Source source, InputStream content, Draft draft) {
        return new DecryptedContent(source, content, draft, null);
    }

    /** The decrypted content (for S/MIME: a MIME entity); untrusted until {@link #result()} is valid. */
    public InputStream content() {
        return content;
    }

    /**
     * Whether there is content to read: false when the message failed before its content (not this kind of CMS,
     * malformed, no matching key, refused algorithm); {@link #result()} then says why without reading anything.
     */
    public boolean hasContent() {
        return content instanceof Guarded;
    }

    /** Copies the (rest of the) content to {@code out}, then returns the result. */
    public DecryptionResult copyTo(OutputStream out) throws IOException {
        CmsStreams.Sink sink = new CmsStreams.Sink(out);
        try {
            CmsStreams.copy(content, sink);
        } catch (CmsContentException e) {
            return result();
        } catch (IOException e) {
            sink.rethrowIfFailed();
            throw e;
        }
        return result();
    }

    /**
     * Reads whatever of the content was not read (so that the GCM tag is checked) and returns the result. Failures of
     * the message are states of the result; only the caller's input stream failing throws.
     */
    public DecryptionResult result() throws IOException {
        if (result != null) {
            return result;
        }
        try {
            if (contentFailure != null) {
                throw contentFailure;
            }
            content.transferTo(OutputStream.nullOutputStream());
            // closing finalises the cipher: the GCM tag (or the CBC padding) is checked here at the latest
            content.close();
        } catch (CmsContentException e) {
            return result = draft.result(DecryptionFailure.INTEGRITY_FAILED, e.getMessage(), null);
        }
        return result = draft.result(null, null, null);
    }

    /**
     * Releases the message. A failure of the message noticed only now (Bouncy Castle's ciphers finalise on close) is
     * recorded for {@link #result()} rather than thrown; a failure of the caller's stream is thrown.
     */
    @Override
    public void close() throws IOException {
        try {
            content.close();
        } catch (CmsContentException e) {
            // recorded by the guard: result() reports it
        } catch (IOException e) {
            if (source == null || !source.threw(e)) {
                throw e;
            }
        }
    }

    /** The fields of a decryption result as they are found. */
    static final class Draft {
        KeyRef key;
        Algorithm content;
        Algorithm keyManagement;
        Algorithm keyWrap;
        Algorithm kdfDigest;
        boolean authenticated;
        String contentType;
        final List<String> flags = new java.util.ArrayList<>();
        List<String> recipients = List.of();

        DecryptionResult result(DecryptionFailure failure, String detail, PolicyViolationException.Reason reason) {
            return new DecryptionResult(key, content, keyManagement, keyWrap, kdfDigest, authenticated, contentType,
                    flags, recipients, failure, detail, reason);
        }
    }

    private final class Guarded extends java.io.FilterInputStream {
        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        private IOException fail(Exception e) throws IOException {
            source.rethrowIfFailed();
            if (contentFailure == null) {
                contentFailure = e instanceof CmsContentException c ? c : new CmsContentException(
                        (draft.authenticated ? "the content failed its " + draft.content + " integrity check"
                                : "the " + draft.content + " content could not be decrypted (wrong padding)")
                                + ": changed, truncated, or not for this key (" + e.getMessage() + ")", e);
            }
            return contentFailure;
        }
    }
}
