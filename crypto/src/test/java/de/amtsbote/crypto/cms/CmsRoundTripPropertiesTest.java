package de.amtsbote.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.smime.SmimeWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;

/**
 * Round trips over random content from 0 bytes to 10 MB (sizes skewed towards small ones, so a run stays short):
 * whatever is signed verifies to the same bytes, whatever is encrypted decrypts to them, through every key type.
 */
class CmsRoundTripPropertiesTest {

    static final TestPki PKI = TestPki.get();
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.bsi();
    static final TestValidator VALIDATOR = new TestValidator(PKI.root.certificate());
    static final List<String> KEYS = List.of("rsa", "bp256", "p256", "p384", "bp384");
    static final CmsOpener OPENER = CmsOpener.builder(POLICY, VALIDATOR)
            .decryptionKeys(KEYS.stream().map(PKI::key).toList()).build();

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(0, 10_000_000).withDistribution(RandomDistribution.biased());
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    @Property(tries = 30)
    void verifiesWhateverItSigned(@ForAll("sizes") int size, @ForAll long seed, @ForAll("keys") String key,
                                  @ForAll @IntRange(min = 1, max = 100_000) int chunk) throws Exception {
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        byte[] digest;
        try (OutputStream s = CmsSigner.builder(PKI.key(key), POLICY).build().signEncapsulated(signed)) {
            digest = RandomContent.write(s, size, seed, chunk);
        }
        RandomContent.Digesting content = new RandomContent.Digesting();
        VerificationResult r = OPENER.verify(new ByteArrayInputStream(signed.toByteArray()), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(content.count()).isEqualTo(size);
        assertThat(content.digest()).isEqualTo(digest);
    }

    @Property(tries = 30)
    void decryptsWhateverItEncrypted(@ForAll("sizes") int size, @ForAll long seed, @ForAll("keys") String key,
                                     @ForAll @IntRange(min = 1, max = 100_000) int chunk) throws Exception {
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        byte[] digest;
        try (OutputStream s = CmsEncryptor.builder(POLICY, VALIDATOR).recipient(PKI.cert(key).certificate()).build()
                .encrypt(encrypted)) {
            digest = RandomContent.write(s, size, seed, chunk);
        }
        RandomContent.Digesting content = new RandomContent.Digesting();
        DecryptionResult r = OPENER.decrypt(new ByteArrayInputStream(encrypted.toByteArray()), content);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.key().id()).isEqualTo(key);
        assertThat(content.count()).isEqualTo(size);
        assertThat(content.digest()).isEqualTo(digest);
    }

    @Property(tries = 30)
    void opensWhateverItSignedThenEncryptedAsSmime(@ForAll("sizes") int size, @ForAll long seed,
                                                   @ForAll("keys") String signerKey, @ForAll("keys") String recipient,
                                                   @ForAll boolean clearSigned) throws Exception {
        byte[] headers = ("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: "
                + (clearSigned ? "base64" : "binary") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        CmsSigner signer = CmsSigner.builder(PKI.key(signerKey), POLICY).build();
        OutputStream encrypted = SmimeWriter.encrypted(wire, CmsEncryptor.builder(POLICY, VALIDATOR)
                .recipient(PKI.cert(recipient).certificate()).build());
        // random bytes are not canonical text, so the clear-signed variant carries them base64-encoded
        byte[] digest;
        try (OutputStream s = clearSigned ? SmimeWriter.multipartSigned(encrypted, signer)
                : SmimeWriter.signed(encrypted, signer)) {
            s.write(headers);
            if (clearSigned) {
                OutputStream b64 = java.util.Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).wrap(
                        new java.io.FilterOutputStream(s) {
                            @Override
                            public void write(byte[] b, int off, int len) throws java.io.IOException {
                                out.write(b, off, len);
                            }

                            @Override
                            public void close() {
                                // the signed entity is closed by the try block
                            }
                        });
                digest = RandomContent.write(b64, size, seed, 8192);
                b64.close();
            } else {
                digest = RandomContent.write(s, size, seed, 8192);
            }
        }
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult r = new SmimeOpener(OPENER).open(new ByteArrayInputStream(wire.toByteArray()), inner);
        assertThat(r.valid()).as(r.describe()).isTrue();
        assertThat(r.layers()).hasSize(2);
        byte[] body = java.util.Arrays.copyOfRange(inner.toByteArray(), headers.length, inner.size());
        if (clearSigned) {
            body = java.util.Base64.getMimeDecoder().decode(body);
        }
        assertThat(RandomContent.sha256().digest(body)).isEqualTo(digest);
    }
}
