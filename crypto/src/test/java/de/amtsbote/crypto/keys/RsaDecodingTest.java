package de.amtsbote.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.Algorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import javax.crypto.Cipher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The padding checks that run in software after a token's raw RSA operation, here around Bouncy Castle's raw RSA:
 * whatever the content key, a proper encryption decrypts to it; whatever the ciphertext, OAEP fails with one message
 * and PKCS#1 v1.5 answers with bytes of the expected length, never with an error.
 */
class RsaDecodingTest {

    private static final KeyPair KEY = generate();
    private static final BigInteger MODULUS = ((RSAPublicKey) KEY.getPublic()).getModulus();

    private static KeyPair generate() {
        try {
            return KeySpec.rsa(3072).generate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] raw(byte[] ciphertext) throws KeyOperationException {
        try {
            Cipher c = Cipher.getInstance(JcaNames.RAW_RSA, Providers.bouncyCastle());
            c.init(Cipher.DECRYPT_MODE, KEY.getPrivate());
            return c.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new KeyOperationException("raw RSA failed", e);
        }
    }

    @Provide
    Arbitrary<Algorithm> oaepDigests() {
        return Arbitraries.of(Algorithm.SHA256, Algorithm.SHA384, Algorithm.SHA512);
    }

    @Property(tries = 40)
    void oaepDecryptsWhatWasEncryptedToTheKey(@ForAll @Size(min = 1, max = 190) byte[] contentKey,
                                             @ForAll("oaepDigests") Algorithm digest) throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/NONE/OAEPPadding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, KEY.getPublic(), JcaNames.oaep(digest));

        assertThat(RsaDecoding.oaep(RsaDecodingTest::raw, MODULUS, digest, cipher.doFinal(contentKey), "k"))
                .isEqualTo(contentKey);
    }

    @Property(tries = 40)
    void oaepRefusesArbitraryCiphertextsWithOneMessage(@ForAll @Size(min = 0, max = 400) byte[] ciphertext) {
        assertThatThrownBy(() -> RsaDecoding.oaep(RsaDecodingTest::raw, MODULUS, Algorithm.SHA256, ciphertext, "k"))
                .isInstanceOf(KeyOperationException.class)
                .hasMessage("key k could not decrypt the RSAES-OAEP content key: it was not encrypted to this key or"
                        + " is corrupted");
    }

    @Property(tries = 40)
    void pkcs1v15DecryptsWhatWasEncryptedToTheKey(@ForAll @Size(min = 1, max = 300) byte[] contentKey)
            throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/NONE/PKCS1Padding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, KEY.getPublic());

        assertThat(RsaDecoding.pkcs1v15(RsaDecodingTest::raw, MODULUS, cipher.doFinal(contentKey), contentKey.length,
                "k")).isEqualTo(contentKey);
    }

    @Property(tries = 40)
    void pkcs1v15AnswersAWrongLengthWithOtherBytesOfTheExpectedLength(
            @ForAll @Size(min = 16, max = 32) byte[] contentKey, @ForAll @IntRange(min = 1, max = 64) int expected)
            throws Exception {
        Cipher cipher = Cipher.getInstance("RSA/NONE/PKCS1Padding", Providers.bouncyCastle());
        cipher.init(Cipher.ENCRYPT_MODE, KEY.getPublic());

        byte[] result = RsaDecoding.pkcs1v15(RsaDecodingTest::raw, MODULUS, cipher.doFinal(contentKey), expected, "k");

        assertThat(result).hasSize(expected);
        if (expected == contentKey.length) {
            assertThat(result).isEqualTo(contentKey);
        } else {
            assertThat(result).isNotEqualTo(java.util.Arrays.copyOf(contentKey, expected));
        }
    }

    @Property(tries = 40)
    void pkcs1v15NeverFailsOnArbitraryCiphertexts(@ForAll @Size(min = 0, max = 400) byte[] ciphertext)
            throws Exception {
        assertThat(RsaDecoding.pkcs1v15(RsaDecodingTest::raw, MODULUS, ciphertext, 32, "k")).hasSize(32);
    }

    @Property(tries = 5)
    void pkcs1v15RefusesAnExpectedLengthTheKeyCannotHold(@ForAll @IntRange(min = 374, max = 1000) int expected) {
        assertThatThrownBy(() -> RsaDecoding.pkcs1v15(RsaDecodingTest::raw, MODULUS, new byte[384], expected, "k"))
                .isInstanceOf(KeyOperationException.class)
                .hasMessageContaining("cannot hold a PKCS#1 v1.5 content key of " + expected + " bytes");
    }
}
