package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * Bouncy Castle's {@link ContentSigner} over a private-key operation, so that certificate requests and placeholder
 * certificates are signed wherever the key lives. What it signs is small (a request's or a certificate's
 * to-be-signed part), so buffering it is fine.
 */
final class HandleContentSigner implements ContentSigner {

    /** A private-key signature: a handle's {@link PrivateKeyHandle#sign}, or a fresh key before it has a handle. */
    @FunctionalInterface
    interface DataSigner {
        byte[] sign(SignatureSpec spec, byte[] data) throws KeyOperationException;
    }

    private final SignatureSpec spec;
    private final DataSigner signer;
    private final AlgorithmIdentifier algorithm;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    HandleContentSigner(SignatureSpec spec, DataSigner signer) throws KeyOperationException {
        this.spec = spec;
        this.signer = signer;
        try {
            this.algorithm = JcaNames.signatureAlgorithm(spec);
        } catch (NoSuchAlgorithmException e) {
            throw new KeyOperationException(e.getMessage(), e);
        }
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        try {
            return signer.sign(spec, buffer.toByteArray());
        } catch (KeyOperationException e) {
            // BC's builders only pass runtime exceptions through; callers unwrap it with unwrap()
            throw new RuntimeOperatorException(e.getMessage(), e);
        }
    }

    /** The key failure behind a builder's exception, or a new one naming what failed. */
    static KeyOperationException unwrap(RuntimeOperatorException e, String what) {
        if (e.getCause() instanceof KeyOperationException k) {
            return k;
        }
        return new KeyOperationException("could not sign " + what + ": " + e.getMessage(), e);
    }
}
