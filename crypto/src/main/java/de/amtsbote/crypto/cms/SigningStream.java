package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * The content side of a CMS signature being made: write the content, close, and the signature is computed and the
 * SignedData finished. Closing also closes the stream the SignedData goes to. A key failure on close surfaces as a
 * {@link CmsStreamException} naming the key.
 */
public final class SigningStream extends OutputStream {

    private final OutputStream content;
    private final OutputStream target;
    private final HandleContentSigner contentSigner;
    private final X509Certificate signer;
    private final SignatureSpec spec;
    private final ASN1ObjectIdentifier contentType;
    private final byte[] receiptId;
    private boolean closed;
    private SentSignature sent;

    SigningStream(OutputStream content, OutputStream target, HandleContentSigner contentSigner, X509Certificate signer,
                  SignatureSpec spec, ASN1ObjectIdentifier contentType, byte[] receiptId) {
        this.content = content;
        this.target = target;
        this.contentSigner = contentSigner;
        this.signer = signer;
        this.spec = spec;
        this.contentType = contentType;
        this.receiptId = receiptId;
    }

    @Override
    public void write(int b) throws IOException {
        content.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        content.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        content.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (target) {
            try {
                content.close();
            } catch (RuntimeOperatorException | IOException e) {
                KeyOperationException failure = contentSigner.failure();
                if (failure != null) {
                    throw new CmsStreamException(failure);
                }
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        byte[] signedAttributes = contentSigner.signedAttributes();
        AttributeTable table = new AttributeTable(ASN1Set.getInstance(signedAttributes));
        Attribute digest = table.get(CMSAttributes.messageDigest);
        Attribute time = table.get(CMSAttributes.signingTime);
        sent = new SentSignature(signer, spec,
                time == null ? null : Time.getInstance(time.getAttrValues().getObjectAt(0)).getDate().toInstant(),
                contentType.getId(),
                digest == null ? null : ASN1OctetString.getInstance(digest.getAttrValues().getObjectAt(0)).getOctets(),
                contentSigner.signature(), signedAttributes, receiptId);
    }

    /** What was signed; available once the stream is closed. */
    public SentSignature sentSignature() {
        if (sent == null) {
            throw new IllegalStateException("the signature is made when the stream is closed");
        }
        return sent;
    }
}
