package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.JcaNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.cms.SignerInformation;

/**
 * ESS signed receipts (RFC 2634): a recipient answers a verified message that requested one with a SignedData over a
 * Receipt; the sender checks the receipt against the signature it kept ({@link SentSignature}).
 */
public final class CmsReceipts {

    /** A Receipt is four small fields; anything larger is not one. */
    private static final int MAX_RECEIPT_BYTES = 64 * 1024;

    private CmsReceipts() {
    }

    /**
     * Writes a signed receipt (SignedData, eContentType id-ct-receipt, with the msgSigDigest attribute) for a message
     * that requested one (RFC 2634 2.4). Only for a message whose signature was verified: the request comes from a
     * {@link SignerResult} of a valid {@link VerificationResult}. {@code out} is closed.
     *
     * @return what was signed, for the receipt's own records
     */
    public static SentSignature writeReceipt(ReceiptRequested request, CmsSigner signer, OutputStream out)
            throws IOException {
        Ess.Receipt receipt = new Ess.Receipt(new ASN1ObjectIdentifier(request.contentType()),
                request.signedContentIdentifier(), request.originatorSignatureValue());
        SigningStream s = signer.signReceipt(out, request.originatorSignedAttributes());
        try (s) {
            s.write(receipt.toAsn1().getEncoded(ASN1Encoding.DER));
        }
        return s.sentSignature();
    }

    static ReceiptVerification verify(CmsOpener opener, InputStream in,
                                      Function<byte[], Optional<SentSignature>> sentSignatures) throws IOException {
        try (SignedContent signed = opener.openSigned(in)) {
            byte[] content = signed.content().readNBytes(MAX_RECEIPT_BYTES + 1);
            VerificationResult result = signed.result();
            if (result.failure() == SignatureCheck.NOT_SIGNED && signed.contentType() == null) {
                return new ReceiptVerification(result, null, ReceiptCheck.NOT_A_RECEIPT, result.detail());
            }
            if (!Ess.ID_CT_RECEIPT.getId().equals(signed.contentType())) {
                return new ReceiptVerification(result, null, ReceiptCheck.NOT_A_RECEIPT, "the SignedData carries "
                        + signed.contentType() + ", not an id-ct-receipt");
            }
            if (!result.valid()) {
                return new ReceiptVerification(result, null, ReceiptCheck.SIGNATURE_INVALID, result.describe());
            }
            if (content.length > MAX_RECEIPT_BYTES) {
                return new ReceiptVerification(result, null, ReceiptCheck.MALFORMED, "the receipt is too large");
            }
            Ess.Receipt receipt;
            try {
                receipt = Ess.Receipt.parse(content);
            } catch (RuntimeException e) {
                return new ReceiptVerification(result, null, ReceiptCheck.MALFORMED, "the Receipt cannot be read: "
                        + e.getMessage());
            }
            Optional<SentSignature> found = sentSignatures.apply(receipt.signedContentIdentifier());
            if (found.isEmpty()) {
                return new ReceiptVerification(result, null, ReceiptCheck.UNKNOWN_CONTENT_IDENTIFIER,
                        "no message we sent has the signedContentIdentifier "
                                + java.util.HexFormat.of().formatHex(receipt.signedContentIdentifier()));
            }
            SentSignature sent = found.get();
            if (!receipt.contentType().getId().equals(sent.contentType())) {
                return new ReceiptVerification(result, sent, ReceiptCheck.CONTENT_TYPE_MISMATCH, "the receipt is for "
                        + "content type " + receipt.contentType() + ", we sent " + sent.contentType());
            }
            if (!Arrays.equals(receipt.originatorSignatureValue(), sent.signatureValue())) {
                return new ReceiptVerification(result, sent, ReceiptCheck.SIGNATURE_VALUE_MISMATCH,
                        "the receipt's originatorSignatureValue is not the signature we sent");
            }
            int index = 0;
            for (SignerInformation si : signed.signerInfos().getSigners()) {
                SignerResult signer = result.signers().get(index++);
                Attribute a = si.getSignedAttributes() == null ? null
                        : si.getSignedAttributes().get(Ess.ID_AA_MSG_SIG_DIGEST);
                if (a == null) {
                    return new ReceiptVerification(result, sent, ReceiptCheck.MSG_SIG_DIGEST_MISSING, signer.name()
                            + " signed no msgSigDigest attribute");
                }
                byte[] claimed = ASN1OctetString.getInstance(a.getAttrValues().getObjectAt(0)).getOctets();
                byte[] expected;
                try {
                    expected = MessageDigest.getInstance(JcaNames.digest(signer.signatureSpec().digest()),
                            Providers.bouncyCastle()).digest(sent.signedAttributes());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("no " + signer.signatureSpec().digest() + " digest", e);
                }
                if (!MessageDigest.isEqual(claimed, expected)) {
                    return new ReceiptVerification(result, sent, ReceiptCheck.MSG_SIG_DIGEST_MISMATCH, signer.name()
                            + ": the msgSigDigest is not the " + signer.signatureSpec().digest()
                            + " digest of the signed attributes we sent");
                }
            }
            return new ReceiptVerification(result, sent, null, null);
        }
    }
}
