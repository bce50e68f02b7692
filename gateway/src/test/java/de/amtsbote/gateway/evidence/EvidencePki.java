package de.amtsbote.gateway.evidence;

import static java.nio.charset.StandardCharsets.UTF_8;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.evidence.EvidenceVerifier;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSigner;
import de.amtsbote.gateway.testing.TestVault;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * The PKI around signed evidence, generated at test time: a root CA (the only thing a verifier gets), an intermediate
 * that issues the gateway's evidence certificate (so KeyInfo must carry it), OCSP responders for both, the gateway's
 * key store with the evidence key — and the wrong signers: an evidence key under another root, and a participant's
 * S/MIME signing key under the same CA.
 */
final class EvidencePki implements AutoCloseable {

    static final String XMLSEC1 = "/usr/bin/xmlsec1";

    final Path dir;
    final CertificateAuthority root;
    final RevocationResponder rootOcsp;
    final CertificateAuthority ca;
    final RevocationResponder ocsp;
    final TestVault vault;
    final List<X509Certificate> evidenceChain;
    final Path rootFile;
    final XmlSigner strangerEvidenceSigner;
    final XmlSigner participantSigner;

    private EvidencePki(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        Clock clock = Clock.systemUTC();
        root = CertificateAuthority.root("Amtsbote Evidence Test Root", KeySpec.ec("P-256"), clock);
        rootOcsp = RevocationResponder.start(root, clock);
        ca = root.intermediate(IssueRequest.named("Amtsbote Evidence Test CA").key(KeySpec.ec("P-256"))
                .validFor(Duration.ofDays(365)).ocsp(rootOcsp.ocspUrl()));
        ocsp = RevocationResponder.start(ca, clock);
        vault = TestVault.createIn(dir);
        try (KeyVault keys = vault.open()) {
            evidenceChain = TestVault.certifyEvidenceKey(keys, ca, ocsp.ocspUrl());
        }
        rootFile = dir.resolve("ca.pem");
        Pem.writeCertificate(rootFile, root.certificate());

        CertificateAuthority strangerRoot = CertificateAuthority.root("Fremde Test Root", KeySpec.ec("P-256"), clock);
        KeyVault stranger = TestVault.createIn(dir.resolve("stranger")).open();
        TestVault.certifyEvidenceKey(stranger, strangerRoot, null);
        strangerEvidenceSigner = Crypto.of(AlgorithmPolicy.bsi(), stranger, validator(), clock).evidenceSigner();

        KeyVault participant = TestVault.createIn(dir.resolve("participant")).open();
        TestVault.certify(participant, participant.generate("stadt-bad-vilbel", KeyPurpose.SIGNING,
                KeySpec.ec("P-256")), ca, ocsp.ocspUrl(), CertificateProfile.SIGNING,
                new CsrSubject("Magistrat der Stadt Bad Vilbel", "Poststelle", List.of("poststelle@bad-vilbel.example")));
        participantSigner = Crypto.of(AlgorithmPolicy.bsi(), participant, validator(), clock)
                .xmlSigner("stadt-bad-vilbel");
    }

    static EvidencePki create(Path dir) {
        try {
            return new EvidencePki(dir);
        } catch (Exception e) {
            throw new IllegalStateException("the evidence PKI could not be made: " + e.getMessage(), e);
        }
    }

    /** The gateway's crypto settings: its key store and the root as trust anchor. */
    Map<String, String> gatewayProperties() {
        Map<String, String> p = new java.util.HashMap<>(vault.properties());
        p.put("amtsbote.crypto.trust-anchors[0]", rootFile.toString());
        return p;
    }

    /** Fail-closed validation against the root, revocation by OCSP. */
    PkixCertificateValidator validator() {
        return PkixCertificateValidator.builder().policy(AlgorithmPolicy.bsi()).trustAnchor(root.certificate())
                .build();
    }

    EvidenceVerifier verifier() {
        return new EvidenceVerifier(AlgorithmPolicy.bsi(), validator());
    }

    /** The document with its signature replaced by one of {@code signer}. */
    static byte[] resign(byte[] document, XmlSigner signer) throws Exception {
        Document dom = SecureXml.standard().parse(new ByteArrayInputStream(document));
        Node signature = dom.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
        signature.getParentNode().removeChild(signature);
        signer.signEnveloped(dom);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureXml.standard().serialize(dom, out);
        return out.toByteArray();
    }

    /** {@code xmlsec1 --verify --trusted-pem ca.pem FILE}, given nothing but the root certificate. */
    XmlsecResult xmlsec1(Path file) throws Exception {
        List<String> command = new ArrayList<>(List.of(XMLSEC1, "--verify", "--trusted-pem", rootFile.toString(),
                file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("xmlsec1 did not finish for " + file);
        }
        return new XmlsecResult(p.exitValue(), output);
    }

    record XmlsecResult(int exit, String output) {
    }

    @Override
    public void close() {
        ocsp.close();
        rootOcsp.close();
    }
}
