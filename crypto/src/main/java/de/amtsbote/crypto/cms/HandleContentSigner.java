package de.amtsbote.crypto.cms;

import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * A Bouncy Castle {@link ContentSigner} on a {@link PrivateKeyHandle}, so that software and token keys sign CMS the
 * same way. CMS signers here always sign attributes, so what passes through is the DER of the signed attributes (a
 * few hundred bytes), never the content. It remembers what it signed and the signature: the sender keeps both to
 * check a signed receipt later (RFC 2634 2.6). One instance signs one message.
 */
final class HandleContentSigner implements ContentSigner {

    private final PrivateKeyHandle key;
    private final SignatureSpec spec;
    private final AlgorithmIdentifier algorithm;
    private final ByteArrayOutputStream signedBytes = new ByteArrayOutputStream(512);
    private byte[] signature;
    private byte[] signedAttributes;
    private KeyOperationException failure;

    HandleContentSigner(PrivateKeyHandle key, SignatureSpec spec) {
        this.key = key;
        this.spec = spec;
        this.algorithm = CmsAlgorithms.signature(spec);
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
        return signedBytes;
    }

    @Override
    public byte[] getSignature() {
        signedAttributes = signedBytes.toByteArray();
        try {
            signature = key.sign(spec, signedAttributes);
            return signature.clone();
        } catch (KeyOperationException e) {
            failure = e;
            throw new RuntimeOperatorException(e.getMessage(), e);
        }
    }

    /** The DER of the signed attributes that were signed, or null before signing. */
    byte[] signedAttributes() {
        return signedAttributes == null ? null : signedAttributes.clone();
    }

    byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    /** The key failure if signing failed, so the stream can report it by name. */
    KeyOperationException failure() {
        return failure;
    }
}
