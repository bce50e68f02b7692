package de.amtsbote.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token keys (PKCS#11) expose no key material: their JCA key cannot be encoded or used outside the token. CMS must
 * then work through the handle's operations alone — this test's handle gives out such an opaque JCA key and records
 * which operations were asked for.
 */
class TokenKeyPathTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final byte[] CONTENT = "Content-Type: text/plain\r\n\r\nvom Token\r\n".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p384"})
    void signsAndDecryptsThroughTheHandleOnly(String key) throws Exception {
        TokenLike token = new TokenLike(PKI.key(key));

        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        try (OutputStream s = CmsSigner.builder(token, POLICY).build().signEncapsulated(signed)) {
            s.write(CONTENT);
        }
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        try (OutputStream s = CmsEncryptor.builder(POLICY, VALIDATOR).recipient(token.certificate()).build()
                .encrypt(encrypted)) {
            s.write(CONTENT);
        }
        CmsOpener opener = CmsOpener.builder(POLICY, VALIDATOR).decryptionKeys(List.of(token)).build();
        assertThat(opener.verify(new ByteArrayInputStream(signed.toByteArray()), OutputStream.nullOutputStream())
                .valid()).isTrue();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        DecryptionResult r = opener.decrypt(new ByteArrayInputStream(encrypted.toByteArray()), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(content.toByteArray()).isEqualTo(CONTENT);
        assertThat(token.calls).containsExactly("sign", key.equals("rsa") ? "decryptOaep" : "agree");
    }

    /** Delegates the operations to a software key, but its JCA key is as opaque as a token's. */
    static final class TokenLike implements PrivateKeyHandle {
        final PrivateKeyHandle inner;
        final List<String> calls = new ArrayList<>();

        TokenLike(PrivateKeyHandle inner) {
            this.inner = inner;
        }

        @Override
        public KeyRef ref() {
            return inner.ref();
        }

        @Override
        public X509Certificate certificate() {
            return inner.certificate();
        }

        @Override
        public List<X509Certificate> chain() {
            return inner.chain();
        }

        @Override
        public boolean hardware() {
            return true;
        }

        @Override
        public byte[] sign(SignatureSpec spec, byte[] data) throws KeyOperationException {
            calls.add("sign");
            return inner.sign(spec, data);
        }

        @Override
        public byte[] decryptOaep(byte[] encryptedKey, Algorithm digest) throws KeyOperationException {
            calls.add("decryptOaep");
            return inner.decryptOaep(encryptedKey, digest);
        }

        @Override
        public byte[] decryptPkcs1v15(byte[] encryptedKey, int expectedLength) throws KeyOperationException {
            calls.add("decryptPkcs1v15");
            return inner.decryptPkcs1v15(encryptedKey, expectedLength);
        }

        @Override
        public byte[] agree(PublicKey otherPublicKey) throws KeyOperationException {
            calls.add("agree");
            return inner.agree(otherPublicKey);
        }

        @Override
        public PrivateKey jcaKey() {
            String algorithm = inner.jcaKey().getAlgorithm();
            return new PrivateKey() {
                @Override
                public String getAlgorithm() {
                    return algorithm;
                }

                @Override
                public String getFormat() {
                    return null;
                }

                @Override
                public byte[] getEncoded() {
                    return null;
                }
            };
        }

        @Override
        public Provider jcaProvider() {
            return inner.jcaProvider();
        }
    }
}
