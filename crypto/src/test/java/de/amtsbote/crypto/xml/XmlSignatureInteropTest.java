package de.amtsbote.crypto.xml;

import static de.amtsbote.crypto.xml.XmlDocs.EV;
import static de.amtsbote.crypto.xml.XmlDocs.first;
import static de.amtsbote.crypto.xml.XmlDocs.parse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * Interoperability with an independent implementation: {@code xmlsec1} (libxmlsec1 1.2.x on OpenSSL). What we sign
 * verifies there with nothing but the root CA certificate; what it signs verifies here.
 */
class XmlSignatureInteropTest {

    private static final String XMLSEC1 = "/usr/bin/xmlsec1";

    private static XmlTestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        pki = XmlTestPki.get();
    }

    static Stream<Arguments> evidenceKeys() throws Exception {
        XmlTestPki p = XmlTestPki.get();
        return Stream.of(Arguments.of("P-256", p.evidenceP256), Arguments.of("brainpoolP256r1", p.evidenceBrainpool));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evidenceKeys")
    void xmlsec1VerifiesOurEnvelopedSignatureGivenOnlyTheRootCertificate(String curve, IssuedCertificate key)
            throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(key).signEnveloped(doc);

        Result r = xmlsec1Verify(write(doc, "evidence.xml"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("OK");
    }

    @Test
    void xmlsec1VerifiesOurSignatureOverAnElementById() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signing(doc).coverElement(first(doc, EV, "Message")).sign();

        Result r = xmlsec1Verify(write(doc, "message.xml"), "--id-attr:Id", EV + ":Message");

        assertThat(r.exit).as(r.output).isZero();
    }

    @Test
    void xmlsec1RejectsOurSignatureOnceTheContentIsChanged() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.evidenceP256).signEnveloped(doc);
        first(doc, EV, "Event").setTextContent("ContentHandover");

        Result r = xmlsec1Verify(write(doc, "changed.xml"));

        assertThat(r.exit).as(r.output).isNotZero();
    }

    @Test
    void xmlsec1RejectsOurSignatureUnderAnotherRoot() throws Exception {
        Document doc = parse(XmlDocs.EVIDENCE);
        signer(pki.stranger).signEnveloped(doc);

        Result r = xmlsec1Verify(write(doc, "stranger.xml"));

        assertThat(r.exit).as(r.output).isNotZero();
    }

    @Test
    void weVerifyADocumentSignedByXmlsec1() throws Exception {
        Path template = dir.resolve("template.xml");
        Files.writeString(template, XmlDocs.EVIDENCE.strip().replace("</ev:Evidence>", """
                <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">
                  <SignedInfo>
                    <CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
                    <SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>
                    <Reference URI="">
                      <Transforms>
                        <Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
                        <Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
                      </Transforms>
                      <DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
                      <DigestValue/>
                    </Reference>
                  </SignedInfo>
                  <SignatureValue/>
                  <KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo>
                </Signature>
                </ev:Evidence>
                """), UTF_8);
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Pem.writeTestPrivateKey(key, pki.evidenceP256.privateKey());
        Pem.writeCertificate(cert, pki.evidenceP256.certificate());
        Path intermediate = dir.resolve("intermediate.pem");
        Pem.writeCertificate(intermediate, pki.intermediate.certificate());
        Path signed = dir.resolve("signed.xml");

        Result r = run(XMLSEC1, "--sign", "--privkey-pem", key + "," + cert + "," + intermediate, "--output", signed.toString(),
                template.toString());
        assertThat(r.exit).as(r.output).isZero();

        Document received;
        try (InputStream in = Files.newInputStream(signed)) {
            received = SecureXml.standard().parse(in);
        }
        VerifiedXml verified = XmlSignatureVerifier.withValidator(AlgorithmPolicy.bsi(), pki.validator(),
                CertificateUsage.EVIDENCE_SIGNATURE).verify(received, SignatureExpectation.documentElement());

        assertThat(verified.signer()).isEqualTo(pki.evidenceP256.certificate());
        assertThat(verified.scheme()).isEqualTo(Algorithm.ECDSA);
        assertThat(first(verified.documentElement().getOwnerDocument(), EV, "Event").getTextContent())
                .isEqualTo("SubmissionAcceptance");
    }

    // ------------------------------------------------------------------ helpers

    private static XmlSigner signer(IssuedCertificate key) {
        return new XmlSigner(XmlTestPki.handle(key, KeyPurpose.EVIDENCE), AlgorithmPolicy.bsi());
    }

    private Path write(Document doc, String name) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, XmlDocs.bytes(doc));
        return file;
    }

    private Result xmlsec1Verify(Path file, String... options) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Pem.writeCertificate(ca, pki.root.certificate());
        List<String> command = new ArrayList<>(List.of(XMLSEC1, "--verify", "--trusted-pem", ca.toString()));
        command.addAll(List.of(options));
        command.add(file.toString());
        return run(command.toArray(String[]::new));
    }

    private record Result(int exit, String output) {
    }

    private Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), output);
    }
}
