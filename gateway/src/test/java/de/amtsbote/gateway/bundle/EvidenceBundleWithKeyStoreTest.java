package de.amtsbote.gateway.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.gateway.testing.TestVault;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With a key store, the bundle carries the evidence key's certificate chain as the vault holds it. */
class EvidenceBundleWithKeyStoreTest extends RunningGateway {

    private static final Path WORLD = Fleet.temporaryDirectory("amtsbote-bundle-keys-");
    private static final Path ANCHOR = WORLD.resolve("ca.pem");
    private static final TestVault VAULT;
    private static final List<X509Certificate> EVIDENCE_CHAIN;

    static {
        try {
            CertificateAuthority root = CertificateAuthority.root("Amtsbote Test CA", KeySpec.ec("P-256"),
                    Clock.systemUTC());
            CertificateAuthority issuing = root.intermediate("Amtsbote Test Evidence CA", KeySpec.ec("P-256"));
            Pem.writeCertificate(ANCHOR, root.certificate());
            VAULT = TestVault.createIn(WORLD);
            try (KeyVault keys = VAULT.open()) {
                EVIDENCE_CHAIN = TestVault.certify(keys, keys.generate(Crypto.GATEWAY, KeyPurpose.EVIDENCE,
                                KeySpec.ec("P-256")), issuing, URI.create("http://127.0.0.1:1/ocsp"),
                        CertificateProfile.EVIDENCE, new CsrSubject("Amtsbote Test", "Amtsbote evidence", List.of()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test key store", e);
        }
    }

    @DynamicPropertySource
    static void keyStore(DynamicPropertyRegistry p) {
        VAULT.properties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.crypto.trust-anchors[0]", ANCHOR::toString);
    }

    @Test
    void carriesTheEvidenceKeysCertificateChainLeafFirst() throws Exception {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"],
                 "subject": "Prüfbericht", "body": "Guten Tag",
                 "options": {"sign": false, "encrypt": false, "receipts": ["delivery"]}}
                """).attachment("bericht.pdf", "application/pdf", new byte[] {1, 2, 3}));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String id = r.json().get("id").asString();
        new MessagesApi(badVilbel(), Duration.ofSeconds(30)).awaitState(id, "DELIVERED");

        Response zip = badVilbel().get("/api/v1/messages/" + id + "/evidence-bundle");
        assertThat(zip.status()).as(zip.toString()).isEqualTo(200);
        Map<String, byte[]> bundle = EvidenceBundleTest.unzip(zip.body());

        assertThat(bundle).containsKey("certificates/evidence-chain.pem");
        List<X509Certificate> chain = Pem.readCertificates(new StringReader(
                new String(bundle.get("certificates/evidence-chain.pem"), StandardCharsets.US_ASCII)));
        assertThat(chain).isEqualTo(EVIDENCE_CHAIN);
        assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("Amtsbote evidence");
        assertThat(new String(bundle.get("README.txt"), StandardCharsets.UTF_8))
                .contains("certificate chain (PEM, leaf first)").doesNotContain("Not included");
        assertThat(EvidenceBundleTest.pdfText(bundle.get("zustellnachweis.pdf")))
                .contains("certificates/evidence-chain.pem holds the certificate chain");
    }
}
