package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.pki.KeySpec;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * What a vault tells about one of its keys: never key material, only what an administrator needs to see in the
 * console or the CLI. Certificate fields describe the key's current certificate, which is the self-signed placeholder
 * while the key is {@link KeyState#PENDING}. They are null only for a retired key whose entry someone removed from the
 * store.
 *
 * @param ref          which key
 * @param state        its state now (an overlap that has ended reads {@link KeyState#RETIRED})
 * @param overlapUntil for {@link KeyState#OVERLAP}: until when the key still decrypts; else null
 * @param subject      the certificate's subject (RFC 2253)
 * @param serial       the certificate's serial number
 * @param notBefore    start of the certificate's validity
 * @param notAfter     end of the certificate's validity
 * @param key          key type and size or curve ("RSA-3072", "EC brainpoolP256r1")
 * @param hardware     whether the key lives in a PKCS#11 token
 * @param created      when the key was generated
 */
public record KeyInfo(KeyRef ref, KeyState state, Instant overlapUntil, String subject, BigInteger serial,
                      Instant notBefore, Instant notAfter, KeySpec key, boolean hardware, Instant created) {

    public KeyInfo {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
    }

    public KeyPurpose purpose() {
        return ref.purpose();
    }

    public String owner() {
        return ref.owner();
    }
}
