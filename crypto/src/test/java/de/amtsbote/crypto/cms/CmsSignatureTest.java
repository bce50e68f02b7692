package de.amtsbote.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CmsSignatureTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final byte[] CONTENT = "Content-Type: text/plain\r\n\r\nBescheid 2026\r\n".getBytes(StandardCharsets.US_ASCII);

    final CmsOpener opener = CmsOpener.builder(POLICY, new TestValidator(PKI.root.certificate())).build();

    static byte[] sign(PrivateKeyHandle key, byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream s = CmsSigner.builder(key, POLICY).build().signEncapsulated(out)) {
            s.write(content);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "bp256", "p256", "p384", "bp384"})
    void verifiesWhatItSigned(String key) throws Exception {
        byte[] signed = sign(PKI.key(key), CONTENT);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        VerificationResult r = opener.verify(new ByteArrayInputStream(signed), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(content.toByteArray()).isEqualTo(CONTENT);
        assertThat(r.signers()).singleElement().satisfies(s -> {
            assertThat(s.subject()).contains("Teilnehmer " + key);
            assertThat(s.flags()).isEmpty();
            assertThat(s.signingTime()).isNotNull();
        });
    }

    @Test
    void signsRsaKeysWithPss() throws Exception {
        VerificationResult r = opener.verify(new ByteArrayInputStream(sign(PKI.key("rsa"), CONTENT)),
                OutputStream.nullOutputStream());
        assertThat(r.signers().get(0).signatureSpec().scheme()).isEqualTo(Algorithm.RSASSA_PSS);
    }

    @Test
    void reportsTamperedContentAsDigestMismatch() throws Exception {
        byte[] signed = sign(PKI.key("p256"), CONTENT);
        int at = indexOf(signed, "Bescheid".getBytes(StandardCharsets.US_ASCII));
        signed[at] ^= 0x20;
        VerificationResult r = opener.verify(new ByteArrayInputStream(signed), OutputStream.nullOutputStream());
        assertThat(r.valid()).isFalse();
        assertThat(r.failedSigner()).get().satisfies(s -> {
            assertThat(s.failure()).isEqualTo(SignatureCheck.CONTENT_DIGEST_MISMATCH);
            assertThat(s.name()).contains("Teilnehmer p256");
        });
    }

    @Test
    void refusesToSignWithAnRsa2048Key() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CmsSigner.builder(PKI.key("rsa2048"), POLICY).build())
                .isInstanceOf(PolicyViolationException.class)
                .satisfies(e -> assertThat(((PolicyViolationException) e).reason())
                        .isEqualTo(PolicyViolationException.Reason.KEY_TOO_SHORT));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
