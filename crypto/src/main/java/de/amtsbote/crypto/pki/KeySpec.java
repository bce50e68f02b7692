package de.amtsbote.crypto.pki;

import de.amtsbote.crypto.Providers;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Objects;

/**
 * The type and size of a key to generate: RSA with a modulus size, or EC on a named curve. The policy decides
 * whether it may be used; tests generate weak ones on purpose to see them refused.
 *
 * @param type  "RSA" or "EC"
 * @param bits  RSA modulus size (0 for EC)
 * @param curve EC curve name as Bouncy Castle knows it ("brainpoolP256r1", "secp256r1"), null for RSA
 */
public record KeySpec(String type, int bits, String curve) {

    public KeySpec {
        Objects.requireNonNull(type, "type");
        if (!type.equals("RSA") && !type.equals("EC")) {
            throw new IllegalArgumentException("key type must be RSA or EC: " + type);
        }
    }

    public static KeySpec rsa(int bits) {
        return new KeySpec("RSA", bits, null);
    }

    /** An EC key on the named curve: "brainpoolP256r1", "brainpoolP384r1", "P-256", "P-384", "P-224", ... */
    public static KeySpec ec(String curve) {
        return new KeySpec("EC", 0, curve);
    }

    /** RSA-3072, the default for participant keys that must work with every partner. */
    public static KeySpec rsaDefault() {
        return rsa(3072);
    }

    /** brainpoolP256r1, the curve TR-03116-4 recommends; also the evidence key default (cheap signatures). */
    public static KeySpec ecDefault() {
        return ec("brainpoolP256r1");
    }

    public KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(type, Providers.bouncyCastle());
        if (type.equals("RSA")) {
            g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
        } else {
            g.initialize(new ECGenParameterSpec(bcCurveName(curve)));
        }
        return g.generateKeyPair();
    }

    /** Bouncy Castle's and the JDK's name for a curve ("P-256" is "secp256r1" there). */
    public static String bcCurveName(String curve) {
        switch (curve) {
            case "P-256": return "secp256r1";
            case "P-384": return "secp384r1";
            case "P-521": return "secp521r1";
            case "P-224": return "secp224r1";
            case "P-192": return "secp192r1";
            default: return curve;
        }
    }

    @Override
    public String toString() {
        return type.equals("RSA") ? "RSA-" + bits : "EC " + curve;
    }
}
