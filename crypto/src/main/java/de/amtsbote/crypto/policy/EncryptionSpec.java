package de.amtsbote.crypto.policy;

import java.util.Objects;

/**
 * How the policy encrypts for one recipient: the content cipher (one per message) and how the content key reaches
 * the recipient (RSAES-OAEP key transport, or ECDH-ES key agreement with an AES key wrap).
 *
 * @param content   the content encryption algorithm
 * @param keyManagement {@link Algorithm#RSAES_OAEP}, {@link Algorithm#ECDH_ES}, or a peer-excepted legacy one
 * @param keyWrap   for key agreement the AES key wrap, else null
 * @param kdfDigest for ECDH the digest of the X9.63 KDF and for OAEP the digest of OAEP and MGF1
 * @param flag      null, or the peer exception that allowed a legacy algorithm
 */
public record EncryptionSpec(Algorithm content, Algorithm keyManagement, Algorithm keyWrap, Algorithm kdfDigest,
                             String flag) {
    public EncryptionSpec {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(keyManagement, "keyManagement");
        Objects.requireNonNull(kdfDigest, "kdfDigest");
    }

    /** Whether the content cipher authenticates (AuthEnvelopedData) or not (legacy EnvelopedData with CBC). */
    public boolean authenticated() {
        return content == Algorithm.AES128_GCM || content == Algorithm.AES192_GCM || content == Algorithm.AES256_GCM
                || content == Algorithm.CHACHA20_POLY1305;
    }
}
