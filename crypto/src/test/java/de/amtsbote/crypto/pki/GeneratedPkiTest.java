package de.amtsbote.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedPkiTest {

    private static PkiPlan demoLike() {
        return new PkiPlan("Amtsbote Demo CA", KeySpec.ec("P-384"))
                .add("bad-vilbel-signing", "Stadt Bad Vilbel", CertificateProfile.SIGNING, KeySpec.ec("brainpoolP256r1"),
                        "poststelle@bad-vilbel.example")
                .add("evidence", "Amtsbote Evidence", CertificateProfile.EVIDENCE, KeySpec.ec("P-256"))
                .addTls("provider-tls", "dmda.example", CertificateProfile.TLS_SERVER, KeySpec.ec("P-256"), "localhost");
    }

    @Test
    void writesEveryEntryAsAChainThatOpenSslVerifiesFromTheAnchorAlone(@TempDir Path dir) throws Exception {
        GeneratedPki pki = GeneratedPki.generateOrLoad(dir, demoLike(), Clock.systemUTC());

        for (String name : new String[] {"bad-vilbel-signing", "evidence", "provider-tls"}) {
            Process p = new ProcessBuilder("openssl", "verify", "-CAfile", pki.anchorFile().toString(),
                    pki.certificateFile(name).toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
        }
        assertThat(pki.privateKey("evidence").getAlgorithm()).startsWith("EC");
    }

    @Test
    void loadsWhatIsThereOnTheNextStartAndAddsNewEntriesUnderTheSameCa(@TempDir Path dir) throws Exception {
        GeneratedPki first = GeneratedPki.generateOrLoad(dir, demoLike(), Clock.systemUTC());
        PkiPlan grown = demoLike().add("viernheim-signing", "Stadt Viernheim", CertificateProfile.SIGNING,
                KeySpec.rsa(3072), "poststelle@viernheim.example");

        GeneratedPki second = GeneratedPki.generateOrLoad(dir, grown, Clock.systemUTC());

        assertThat(second.anchor()).isEqualTo(first.anchor());
        assertThat(second.certificate("evidence")).isEqualTo(first.certificate("evidence"));
        X509Certificate added = second.certificate("viernheim-signing");
        added.verify(first.anchor().getPublicKey());
    }

    @Test
    void namesAMissingEntry(@TempDir Path dir) throws Exception {
        GeneratedPki pki = GeneratedPki.generateOrLoad(dir, demoLike(), Clock.systemUTC());
        assertThatThrownBy(() -> pki.certificate("nobody")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("nobody");
    }
}
