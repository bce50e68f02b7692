package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.SignatureCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant rotated its encryption key; partners still encrypt for the old certificate for a while. During the
 * rotation overlap the listener still opens such mail, with the old key.
 */
class KeyRotationTest {

    static final TestWorld WORLD = TestWorld.get();
    static final String PARTICIPANT = "stadt-lorsch";
    static final String ADDRESS = "poststelle@lorsch.example";

    @TempDir
    Path dir;

    @Test
    void opensMailForTheOldKeyDuringTheRotationOverlap() throws Exception {
        Path secret = Files.writeString(dir.resolve("vault.secret"), "another long enough vault password");
        try (Pkcs12KeyVault vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"), SecretSource.file(secret),
                WORLD.policy, Clock.systemUTC())) {
            WORLD.certify(vault, vault.generate(PARTICIPANT, KeyPurpose.SIGNING, KeySpec.ec("P-256")),
                    CertificateProfile.SIGNING, ADDRESS);
            X509Certificate old = WORLD.certify(vault, vault.generate(PARTICIPANT, KeyPurpose.ENCRYPTION,
                    KeySpec.ec("brainpoolP256r1")), CertificateProfile.ENCRYPTION, ADDRESS);
            KeyRef next = vault.rotate(PARTICIPANT, KeyPurpose.ENCRYPTION, KeySpec.ec("P-256"), Duration.ofDays(30));
            WORLD.certify(vault, next, CertificateProfile.ENCRYPTION, ADDRESS);
            Crypto crypto = Crypto.of(WORLD.policy, vault, PkixCertificateValidator.builder()
                    .trustAnchor(WORLD.ca.certificate()).policy(WORLD.policy).build(), Clock.systemUTC());
            RecordingSink sink = new RecordingSink();
            SmimeAdapter adapter = WORLD.start(Map.of(), sink, new MapDirectory().participant(ADDRESS, PARTICIPANT),
                    ChannelMemory.inProcess(), crypto);
            try {
                Path oldPem = dir.resolve("old.pem");
                Pem.writeCertificate(oldPem, old);
                Path signed = TestMails.signed(dir, WORLD.viernheim, TestMails.entity());
                byte[] mail = TestMails.mail(TestWorld.VIERNHEIM_ADDRESS, ADDRESS, "Antrag", "<rot@v.example>",
                        TestMails.encrypted(dir, signed, oldPem, false));

                assertThat(TestMails.send(adapter.listenerPort(), TestWorld.VIERNHEIM_ADDRESS, ADDRESS, mail))
                        .isEqualTo(250);

                assertThat(sink.quarantined).isEmpty();
                assertThat(sink.messages).singleElement().satisfies(m -> {
                    assertThat(m.message().signature().status()).isEqualTo(SignatureCheck.Status.VALID);
                    assertThat(m.parts().get(0).content()).isEqualTo(TestMails.ATTACHMENT);
                });
            } finally {
                adapter.close();
            }
        }
    }
}
