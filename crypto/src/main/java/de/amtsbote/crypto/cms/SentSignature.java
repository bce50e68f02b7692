package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.policy.SignatureSpec;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a signing stream signed, known once it is closed. The sender stores it with the message when a receipt was
 * requested: a signed receipt is checked against {@link #receiptContentIdentifier()}, {@link #signatureValue()} and
 * {@link #signedAttributes()} (RFC 2634 2.6). All fields are small; none is the content.
 *
 * @param signer                   the signing certificate
 * @param spec                     the signature scheme and digest the policy chose
 * @param signingTime              the signingTime attribute
 * @param contentType              the eContentType object identifier ("1.2.840.113549.1.7.1" for id-data)
 * @param contentDigest            the messageDigest attribute (digest of the content)
 * @param signatureValue           the SignerInfo's signature value
 * @param signedAttributes         the DER of the signed attributes as signed
 * @param receiptContentIdentifier the signedContentIdentifier of the receipt request, or null if none was made
 */
public record SentSignature(X509Certificate signer, SignatureSpec spec, Instant signingTime, String contentType,
                            byte[] contentDigest, byte[] signatureValue, byte[] signedAttributes,
                            byte[] receiptContentIdentifier) {

    public SentSignature {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(signatureValue, "signatureValue");
        Objects.requireNonNull(signedAttributes, "signedAttributes");
        contentDigest = contentDigest == null ? null : contentDigest.clone();
        signatureValue = signatureValue.clone();
        signedAttributes = signedAttributes.clone();
        receiptContentIdentifier = receiptContentIdentifier == null ? null : receiptContentIdentifier.clone();
    }

    public boolean receiptRequested() {
        return receiptContentIdentifier != null;
    }

    @Override
    public byte[] contentDigest() {
        return contentDigest == null ? null : contentDigest.clone();
    }

    @Override
    public byte[] signatureValue() {
        return signatureValue.clone();
    }

    @Override
    public byte[] signedAttributes() {
        return signedAttributes.clone();
    }

    @Override
    public byte[] receiptContentIdentifier() {
        return receiptContentIdentifier == null ? null : receiptContentIdentifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SentSignature s && signer.equals(s.signer) && Arrays.equals(signatureValue, s.signatureValue)
                && Arrays.equals(signedAttributes, s.signedAttributes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signatureValue);
    }

    @Override
    public String toString() {
        return "signature by " + signer.getSubjectX500Principal().getName() + " (" + spec.displayName() + ", "
                + signingTime + (receiptRequested() ? ", receipt requested "
                + HexFormat.of().formatHex(receiptContentIdentifier) : "") + ")";
    }
}
