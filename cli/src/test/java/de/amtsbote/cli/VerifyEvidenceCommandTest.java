package de.amtsbote.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

/**
 * {@code ./amtsbote verify-evidence}: documents in the gateway's evidence format signed with an evidence key from a
 * PKCS#12 key store, certified under an intermediate, verified from the root certificate alone. (The gateway's own
 * documents are verified the same way in the gateway's SignedEvidenceTest.)
 */
class VerifyEvidenceCommandTest {

    @TempDir
    static Path dir;

    private static Path ca;
    private static Path otherCa;
    private static final List<Path> CHAIN = new ArrayList<>();
    /** Now: the signer's certificate is validated at the event time, and it was issued a moment ago. */
    private static final String TIME = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    @BeforeAll
    static void signAChain() throws Exception {
        Clock clock = Clock.systemUTC();
        CertificateAuthority root = CertificateAuthority.root("CLI Test Root", KeySpec.ec("P-256"), clock);
        CertificateAuthority intermediate = root.intermediate("CLI Test Evidence CA", KeySpec.ec("P-256"));
        ca = dir.resolve("ca.pem");
        Pem.writeCertificate(ca, root.certificate());
        otherCa = dir.resolve("other-ca.pem");
        Pem.writeCertificate(otherCa, CertificateAuthority.root("Other Root", KeySpec.ec("P-256"), clock).certificate());

        Path secret = dir.resolve("vault.secret");
        Files.writeString(secret, "a long enough test vault password");
        try (KeyVault vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"), SecretSource.file(secret),
                AlgorithmPolicy.bsi(), clock)) {
            KeyRef key = vault.generate(Crypto.GATEWAY, KeyPurpose.EVIDENCE, KeySpec.ec("brainpoolP256r1"));
            String csr = vault.csr(key, new CsrSubject("Amtsbote Test", "Amtsbote Evidence", List.of()));
            vault.importCertificate(key, intermediate.certify(Pem.readCsr(new StringReader(csr)),
                    IssueRequest.named("x").profile(CertificateProfile.EVIDENCE)).chain());
            XmlSigner signer = Crypto.of(AlgorithmPolicy.bsi(), vault, (c, i, u, at) -> {
                throw new AssertionError("signing validates nothing");
            }, clock).evidenceSigner();
            String previous = null;
            String[][] events = {{"SubmissionAcceptance", null}, {"DispatchAttempt", "d1"}, {"DeliveryAcceptance", "d1"}};
            for (int i = 0; i < events.length; i++) {
                byte[] signed = sign(signer, evidence("ev" + i, events[i][0], events[i][1], previous));
                Path file = dir.resolve((i + 1) + "-" + events[i][0] + ".xml");
                Files.write(file, signed);
                CHAIN.add(file);
                previous = ContentDigester.hexOf(signed);
            }
        }
    }

    @Test
    void aValidDocumentExitsZeroAndNamesEventMessageTimeAndSigner() {
        Run r = run("verify-evidence", CHAIN.get(0).toString(), "--trust", ca.toString());

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).contains("VALID", "event:    SubmissionAcceptance", "message:  m-4711",
                "time:     " + TIME, "signer:   CN=Amtsbote Evidence", "issued by CN=CLI Test Evidence CA",
                "revocation");
    }

    @Test
    void sayWhatRevocationCouldNotBeCheckedAndRefusesWhenItIsRequired() {
        Run lenient = run("verify-evidence", CHAIN.get(0).toString(), "--trust", ca.toString());
        Run strict = run("verify-evidence", CHAIN.get(0).toString(), "--trust", ca.toString(), "--require-revocation");

        assertThat(lenient.out).contains("note:", "unavailable");
        assertThat(strict.exit).isEqualTo(1);
        assertThat(strict.err).contains("NOT VALID (CERTIFICATE_INVALID)");
    }

    @Test
    void aWholeChainInOrderVerifies() {
        Run r = run(args(CHAIN.get(0), CHAIN.get(1), CHAIN.get(2)));

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).contains("chain: 3 documents of message m-4711", "starting at the first evidence");
    }

    @Test
    void swappedFilesFailNamingTheOrder() {
        Run r = run(args(CHAIN.get(0), CHAIN.get(2), CHAIN.get(1)));

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("chain: NOT VALID (WRONG_ORDER)", "3-DeliveryAcceptance.xml", "swapped");
    }

    @Test
    void aMissingLinkFailsNamingTheGap() {
        Run r = run(args(CHAIN.get(0), CHAIN.get(2)));

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("chain: NOT VALID (MISSING_LINK)", "1-SubmissionAcceptance.xml", "is missing");
    }

    @Test
    void anAlteredDocumentFailsAsAltered() throws Exception {
        Path altered = dir.resolve("altered.xml");
        Files.writeString(altered, Files.readString(CHAIN.get(0)).replace("m-4711", "m-4712"));

        Run r = run("verify-evidence", altered.toString(), "--trust", ca.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("NOT VALID (ALTERED)");
    }

    @Test
    void anotherCaDoesNotVouchForTheSigner() {
        Run r = run("verify-evidence", CHAIN.get(0).toString(), "--trust", otherCa.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("NOT VALID (UNKNOWN_SIGNER)");
    }

    @Test
    void somethingElseIsNotEvidence() throws Exception {
        Path other = dir.resolve("bescheid.xml");
        Files.writeString(other, "<Bescheid/>");

        Run r = run("verify-evidence", other.toString(), "--trust", ca.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("NOT VALID (NOT_EVIDENCE)");
    }

    @Test
    void anUnreadableTrustAnchorExitsTwo() {
        Run r = run("verify-evidence", CHAIN.get(0).toString(), "--trust", dir.resolve("missing.pem").toString());

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("cannot use --trust");
    }

    // ------------------------------------------------------------------ helpers

    private static String[] args(Path... files) {
        List<String> a = new ArrayList<>(List.of("verify-evidence"));
        for (Path f : files) {
            a.add(f.toString());
        }
        a.addAll(List.of("--trust", ca.toString()));
        return a.toArray(String[]::new);
    }

    /** The gateway's evidence format (EvidenceXml), written by hand: the CLI does not depend on the gateway. */
    private static byte[] evidence(String id, String event, String delivery, String previous) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Evidence xmlns=\"urn:amtsbote:evidence:1\" Id=\"ev-" + id
                + "\" version=\"1\"><EventType>" + event + "</EventType><EventTime>" + TIME + "</EventTime>"
                + "<EvidenceId>" + id + "</EvidenceId><MessageId>m-4711</MessageId>"
                + (delivery == null ? "" : "<DeliveryId>" + delivery + "</DeliveryId>")
                + "<Sender>stadt-bad-vilbel</Sender><Recipient>loopback:poststelle@loopback.example</Recipient>"
                + (previous == null ? "" : "<PreviousEvidence algorithm=\"SHA-256\">" + previous + "</PreviousEvidence>")
                + "</Evidence>").getBytes(UTF_8);
    }

    private static byte[] sign(XmlSigner signer, byte[] document) throws Exception {
        Document dom = SecureXml.standard().parse(new ByteArrayInputStream(document));
        signer.signEnveloped(dom);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureXml.standard().serialize(dom, out);
        return out.toByteArray();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AmtsboteCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
