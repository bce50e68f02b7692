package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * Verifies a detached signature (multipart/signed) whose content comes first: write the content to {@link #content()}
 * (it is only digested, with each digest the policy allows that was announced), then hand over the signature with
 * {@link #verify(InputStream)}. One instance verifies one message.
 */
public final class DetachedSignatureVerifier {

    /** A detached SignedData holds certificates and maybe CRLs, never content: more than this is refused. */
    public static final int MAX_SIGNATURE_BYTES = 4 * 1024 * 1024;

    private final SignerVerifier verifier;
    private final Map<Algorithm, MessageDigest> digests = new LinkedHashMap<>();
    private final OutputStream content;

    DetachedSignatureVerifier(SignerVerifier verifier, Set<Algorithm> algorithms) {
        this.verifier = verifier;
        try {
            for (Algorithm a : algorithms) {
                // the JDK's digests use the CPU's SHA instructions; the content may be large
                digests.put(a, MessageDigest.getInstance(JcaNames.digest(a)));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks a digest the policy allows", e);
        }
        this.content = new OutputStream() {
            @Override
            public void write(int b) {
                digests.values().forEach(d -> d.update((byte) b));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                digests.values().forEach(d -> d.update(b, off, len));
            }
        };
    }

    /** The signed content goes here, exactly as signed (for S/MIME: the canonical first body part). */
    public OutputStream content() {
        return content;
    }

    /**
     * Reads the detached SignedData and verifies it against the content written so far. Failures of the message are
     * states of the result; only the caller's stream failing throws.
     */
    public VerificationResult verify(InputStream signature) throws IOException {
        CmsStreams.Source source = new CmsStreams.Source(signature);
        byte[] block = source.readNBytes(MAX_SIGNATURE_BYTES + 1);
        if (block.length > MAX_SIGNATURE_BYTES) {
            return VerificationResult.failed(null, SignatureCheck.MALFORMED, "the detached signature is larger than "
                    + MAX_SIGNATURE_BYTES + " bytes");
        }
        Map<ASN1ObjectIdentifier, byte[]> hashes = new HashMap<>();
        digests.forEach((a, d) -> hashes.put(CmsAlgorithms.oid(a), d.digest()));
        try {
            CMSSignedData signed = new CMSSignedData(hashes, block);
            String type = signed.getSignedContentTypeOID();
            if (!signed.isDetachedSignature()) {
                return VerificationResult.failed(type, SignatureCheck.MALFORMED,
                        "the signature part encapsulates content; a detached signature must not");
            }
            return verifier.verify(type, signed.getSignerInfos(), signed.getCertificates(), digests.keySet());
        } catch (CMSException | RuntimeException e) {
            return VerificationResult.failed(CMSObjectIdentifiers.data.getId(), SignatureCheck.NOT_SIGNED,
                    "the signature part is not a CMS SignedData: " + e.getMessage());
        }
    }
}
