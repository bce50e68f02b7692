package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.InputStream;
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
public final class DecryptedContent extends OpenedContent<DecryptionResult> {

    private final Draft draft;

    private DecryptedContent(CmsStreams.Source source, InputStream content, Draft draft, DecryptionResult early) {
        super(source, content, early);
        this.draft = draft;
    }

    static DecryptedContent failed(Draft draft, DecryptionFailure failure, String detail,
                                   PolicyViolationException.Reason reason) {
        return new DecryptedContent(null, null, draft, draft.result(failure, detail, reason));
    }

    static DecryptedContent open(CmsStreams.Source source, InputStream content, Draft draft) {
        return new DecryptedContent(source, content, draft, null);
    }

    @Override
    DecryptionResult contentFailed(CmsContentException failure) {
        return draft.result(DecryptionFailure.INTEGRITY_FAILED, failure.getMessage(), null);
    }

    @Override
    DecryptionResult completed() {
        return draft.result(null, null, null);
    }

    @Override
    CmsContentException describe(Exception e) {
        return new CmsContentException((draft.authenticated ? "the content failed its " + draft.content
                + " integrity check" : "the " + draft.content + " content could not be decrypted (wrong padding)")
                + ": changed, truncated, or not for this key (" + e.getMessage() + ")", e);
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
}
