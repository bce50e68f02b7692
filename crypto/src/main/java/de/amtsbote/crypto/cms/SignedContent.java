package de.amtsbote.crypto.cms;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;

/**
 * A SignedData being read: its encapsulated content as a stream, and the verification once the content is through.
 *
 * <p><b>The content is untrusted until {@link #result()} says valid.</b> It is handed out as it is parsed, so that
 * nothing holds a whole payload: write it to a temporary store and discard it unless the result is valid. A content
 * stream that fails mid-way (a truncated or garbled structure) throws {@link CmsContentException}.
 */
public final class SignedContent implements Closeable {

    private final CMSSignedDataParser parser;
    private final CmsStreams.Source source;
    private final SignerVerifier verifier;
    private final String contentType;
    private final InputStream content;
    private VerificationResult result;
    private CmsContentException contentFailure;
    private org.bouncycastle.cms.SignerInformationStore signerInfos;

    private SignedContent(CMSSignedDataParser parser, CmsStreams.Source source, SignerVerifier verifier,
                          String contentType, InputStream content, VerificationResult early) {
        this.parser = parser;
        this.source = source;
        this.verifier = verifier;
        this.contentType = contentType;
        this.content = content == null ? InputStream.nullInputStream() : new Guarded(content);
        this.result = early;
    }

    static SignedContent failed(String contentType, SignatureCheck check, String detail) {
        return new SignedContent(null, null, null, contentType, null,
                VerificationResult.failed(contentType, check, detail));
    }

    static SignedContent open(CMSSignedDataParser parser, CmsStreams.Source source, SignerVerifier verifier) {
        CMSTypedStream signed = parser.getSignedContent();
        String type = parser.getSignedContentTypeOID();
        if (signed == null) {
            return failed(type, SignatureCheck.MALFORMED, "the SignedData has no encapsulated content (a detached "
                    + "signature needs its content)");
        }
        return new SignedContent(parser, source, verifier, type, signed.getContentStream(), null);
    }

    /** The eContentType object identifier ("1.2.840.113549.1.7.1" for id-data), or null if unknown. */
    public String contentType() {
        return contentType;
    }

    /** The encapsulated content, streamed; untrusted until {@link #result()} is valid. */
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

    /** Copies the (rest of the) content to {@code out} and verifies. */
    public VerificationResult copyTo(OutputStream out) throws IOException {
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
     * Reads whatever of the content was not read, then verifies every signer. Failures of the message are states of
     * the result; only the caller's input stream failing throws.
     */
    public VerificationResult result() throws IOException {
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
            return result = VerificationResult.failed(contentType, SignatureCheck.MALFORMED, e.getMessage());
        }
        try {
            signerInfos = parser.getSignerInfos();
            result = verifier.verify(contentType, signerInfos, parser.getCertificates(), null);
        } catch (CMSException | RuntimeException e) {
            source.rethrowIfFailed();
            result = VerificationResult.failed(contentType, SignatureCheck.MALFORMED,
                    "the signer information cannot be read: " + e.getMessage());
        }
        return result;
    }

    /** The SignerInfos, once {@link #result()} read them (receipt checks look at their attributes). */
    org.bouncycastle.cms.SignerInformationStore signerInfos() {
        return signerInfos;
    }

    /**
     * Releases the message. A failure of the message noticed only now (Bouncy Castle finalises the cipher on close)
     * is recorded for {@link #result()} rather than thrown; a failure of the caller's stream is thrown.
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

    /** Turns a failure of the message while reading content into a {@link CmsContentException}. */
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
                contentFailure = e instanceof CmsContentException c ? c
                        : new CmsContentException("the signed content is malformed: " + e.getMessage(), e);
            }
            return contentFailure;
        }
    }
}
