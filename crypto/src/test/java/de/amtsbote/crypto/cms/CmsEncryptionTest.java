package de.amtsbote.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CmsEncryptionTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final byte[] CONTENT = "Content-Type: text/plain\r\n\r\nGeheim\r\n".getBytes(StandardCharsets.US_ASCII);

    static byte[] encrypt(AlgorithmPolicy policy, String peer, String... recipients) throws Exception {
        CmsEncryptor.Builder b = CmsEncryptor.builder(policy, VALIDATOR).peer(peer);
        for (String r : recipients) {
            b.recipient(PKI.cert(r).certificate());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = b.build().encrypt(out)) {
            s.write(CONTENT);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p256", "p384", "bp384"})
    void decryptsWhatItEncrypted(String key) throws Exception {
        byte[] enc = encrypt(POLICY, null, key);
        CmsOpener opener = CmsOpener.builder(POLICY, VALIDATOR).decryptionKeys(List.of(PKI.key(key))).build();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        DecryptionResult r = opener.decrypt(new ByteArrayInputStream(enc), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(content.toByteArray()).isEqualTo(CONTENT);
        assertThat(r.contentAlgorithm()).isEqualTo(Algorithm.AES256_GCM);
        assertThat(r.authenticated()).isTrue();
        assertThat(r.flags()).isEmpty();
    }
}
