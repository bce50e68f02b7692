package de.amtsbote.crypto.cms;

import java.io.IOException;
import java.io.InputStream;
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
public final class SignedContent extends OpenedContent<VerificationResult> {

    private final CMSSignedDataParser parser;
    private final SignerVerifier verifier;
    private final String contentType;
    private org.bouncycastle.cms.SignerInformationStore signerInfos;

    private SignedContent(CMSSignedDataParser parser, CmsStreams.Source source, SignerVerifier verifier,
                          String contentType, InputStream content, VerificationResult early) {
        super(source, content, early);
        this.parser = parser;
        this.verifier = verifier;
        this.contentType = contentType;
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

    @Override
    VerificationResult contentFailed(CmsContentException failure) {
        return VerificationResult.failed(contentType, SignatureCheck.MALFORMED, failure.getMessage());
    }

    /** Verifies every signer once the content is through. */
    @Override
    VerificationResult completed() throws IOException {
        try {
            signerInfos = parser.getSignerInfos();
            return verifier.verify(contentType, signerInfos, parser.getCertificates(), null);
        } catch (CMSException | RuntimeException e) {
            source.rethrowIfFailed();
            return VerificationResult.failed(contentType, SignatureCheck.MALFORMED,
                    "the signer information cannot be read: " + e.getMessage());
        }
    }

    @Override
    CmsContentException describe(Exception e) {
        return new CmsContentException("the signed content is malformed: " + e.getMessage(), e);
    }

    /** The SignerInfos, once {@link #result()} read them (receipt checks look at their attributes). */
    org.bouncycastle.cms.SignerInformationStore signerInfos() {
        return signerInfos;
    }
}
