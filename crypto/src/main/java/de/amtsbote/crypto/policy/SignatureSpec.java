package de.amtsbote.crypto.policy;

import java.util.Objects;

/**
 * The signature scheme the policy chose for a key: scheme and digest (for RSASSA-PSS the MGF1 digest is the same
 * and the salt is as long as the digest, RFC 4056 / TR-03116-4 4.2).
 *
 * @param scheme {@link Algorithm#RSASSA_PSS}, {@link Algorithm#ECDSA}, or a peer-excepted legacy scheme
 * @param digest the digest
 * @param flag   null, or the peer exception that allowed a legacy scheme
 */
public record SignatureSpec(Algorithm scheme, Algorithm digest, String flag) {
    public SignatureSpec {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(digest, "digest");
        if (scheme.kind() != Algorithm.Kind.SIGNATURE || digest.kind() != Algorithm.Kind.DIGEST) {
            throw new IllegalArgumentException(scheme + "/" + digest + " is not a signature scheme with a digest");
        }
    }

    /** "RSASSA-PSS/SHA-256", as results show it. */
    public String displayName() {
        return scheme.displayName() + "/" + digest.displayName();
    }
}
