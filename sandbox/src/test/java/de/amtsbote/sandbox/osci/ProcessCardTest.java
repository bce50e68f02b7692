package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.OsciTestWorld.PARTICIPANT;
import static de.amtsbote.sandbox.osci.OsciTestWorld.STRANGER;
import static de.amtsbote.sandbox.osci.SoapTestClient.OSCI;
import static de.amtsbote.sandbox.osci.SoapTestClient.child;
import static de.amtsbote.sandbox.osci.SoapTestClient.el;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlDecryptor;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Store, fetch, acknowledge and the process card, as a client written in the test sees them. */
class ProcessCardTest {

    @TempDir
    Path dir;
    OsciTestWorld world;

    @BeforeEach
    void start() throws Exception {
        world = OsciTestWorld.start(dir, b -> { });
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void aDeliveryIsFetchedReencryptedForTheAddresseeAndItsProcessCardCarriesAllThreeTimes() throws Exception {
        Path pdf = Files.writeString(dir.resolve("bescheid.pdf"), "%PDF-1.7 Bescheid " + "x".repeat(5000));
        OsciTestWorld.Delivery d = world.strangerToParticipant();
        d.attachment = pdf;
        SoapTestClient.Answer stored = world.client.send(world.behoerden().url(),
                world.storeRequest(d, world.signing(STRANGER)));
        stored.assertOk();
        Element creationCard = child(stored.payload(), OSCI, "ProcessCardBundle");
        assertThat(times(creationCard)).containsExactly("Creation");

        // the addressee fetches: the usage data encrypted for it, the attachment as an MTOM part, Forwarding set
        SoapTestClient.Answer fetched = world.client.send(world.behoerden().url(), world.request("fetchDelivery",
                PARTICIPANT, world.signing(PARTICIPANT)).body(b -> el(el(b, "FetchDelivery", null), "Addressee",
                PARTICIPANT)));
        fetched.assertOk();
        assertThat(fetched.contentType()).startsWith("multipart/related").contains("application/xop+xml");
        Element answer = fetched.payload();
        assertThat(times(child(answer, OSCI, "ProcessCardBundle"))).containsExactly("Creation", "Forwarding");
        Element encrypted = child(answer, "http://www.w3.org/2001/04/xmlenc#", "EncryptedData");
        Element storeDelivery = new XmlDecryptor(AlgorithmPolicy.bsi())
                .decrypt(encrypted, world.encryption(PARTICIPANT)).element();
        Document delivery = SoapTestClient.reparse(storeDelivery);
        VerifiedXml origin = XmlSignatureVerifier.withExpectedSigner(AlgorithmPolicy.bsi(),
                world.certificate(world.pki.signature(STRANGER))).idAttributes(SoapTestClient.OSCI_ID)
                .verify(delivery, SignatureExpectation.documentElement().signatureAt(ElementPath.root(OSCI,
                        "StoreDelivery").child("http://www.w3.org/2000/09/xmldsig#", "Signature")));
        Element attachment = child(child(origin.documentElement(), OSCI, "ContentPackage"), OSCI, "Attachment");
        Path part = fetched.parts().get("att-1");
        MessageDigest sha = JcaNames.messageDigest(Algorithm.SHA256);
        try (InputStream in = Files.newInputStream(part)) {
            sha.update(in.readAllBytes());
        }
        assertThat(Base64.getEncoder().encodeToString(sha.digest())).isEqualTo(attachment.getAttribute("Digest"));
        assertThat(Files.size(part)).isEqualTo(Long.parseLong(attachment.getAttribute("Size")));

        // acknowledged: Reception set, the stored files gone, nothing more to fetch
        SoapTestClient.Answer acked = world.client.send(world.behoerden().url(), world.request("acknowledgeDelivery",
                PARTICIPANT, world.signing(PARTICIPANT)).body(b -> el(el(b, "AcknowledgeDelivery", null),
                "MessageId", d.messageId)));
        acked.assertOk();
        assertThat(world.behoerden().pendingDeliveries()).isZero();
        try (var files = Files.walk(dir.resolve("data/behoerden/deliveries"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        SoapTestClient.Answer again = world.client.send(world.behoerden().url(), world.request("fetchDelivery",
                PARTICIPANT, world.signing(PARTICIPANT)).body(b -> el(el(b, "FetchDelivery", null), "Addressee",
                PARTICIPANT)));
        assertThat(child(again.payload(), OSCI, "NoDelivery")).isNotNull();

        // the originator fetches the process card: all three times, signed by the intermediary on its own
        SoapTestClient.Answer cards = world.client.send(world.behoerden().url(), world.request("fetchProcessCard",
                STRANGER, world.signing(STRANGER)).body(b -> el(el(b, "FetchProcessCard", null), "MessageId",
                d.messageId)));
        cards.assertOk();
        Element bundle = child(cards.payload(), OSCI, "ProcessCardBundle");
        assertThat(times(bundle)).containsExactly("Creation", "Forwarding", "Reception");
        assertThat(child(bundle, OSCI, "MessageId").getTextContent()).isEqualTo(d.messageId);
        List<String> certTypes = SoapTestClient.children(child(bundle, OSCI, "InspectionReport")).stream()
                .map(i -> child(i, OSCI, "CertType").getTextContent()).toList();
        assertThat(certTypes).containsExactly("ClientSignature", "Origin", "Encryption");
        Element inspection = SoapTestClient.children(child(bundle, OSCI, "InspectionReport")).get(0);
        assertThat(child(inspection, OSCI, "MathResult").getTextContent()).isEqualTo("ok");
        assertThat(child(inspection, OSCI, "OfflineResult").getTextContent()).isEqualTo("valid");
        assertThat(child(inspection, OSCI, "OnlineResult").getTextContent()).isEqualTo("unknown");

        // taken out of the response through its serialisation, which carries the namespace declarations in scope
        Document card = SoapTestClient.reparse(bundle);
        Path cardFile = dir.resolve("card.xml");
        Files.write(cardFile, SoapTestClient.SecureXmlText.of(card));
        try (InputStream in = Files.newInputStream(cardFile)) {
            XmlSignatureVerifier.withExpectedSigner(AlgorithmPolicy.bsi(), world.behoerden().certificate())
                    .idAttributes(SoapTestClient.OSCI_ID).verify(SecureXml.standard().parse(in),
                            SignatureExpectation.documentElement());
        }
        VerifiedXml verified = XmlSignatureVerifier.withValidator(AlgorithmPolicy.bsi(),
                PkixCertificateValidator.builder().trustAnchorsFrom(world.pki.anchorFile())
                        .revocation(RevocationSources.NONE).build(), CertificateUsage.EVIDENCE_SIGNATURE)
                .idAttributes(SoapTestClient.OSCI_ID).verify(card, SignatureExpectation.documentElement());
        assertThat(verified.signer()).isEqualTo(world.behoerden().certificate());

        Process xmlsec = new ProcessBuilder("xmlsec1", "--verify", "--trusted-pem",
                world.pki.anchorFile().toString(), "--id-attr:Id", OSCI + ":ProcessCardBundle",
                cardFile.toString()).redirectErrorStream(true).start();
        assertThat(xmlsec.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(xmlsec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(xmlsec.exitValue()).as(output).isZero();
        assertThat(output).contains("OK");

        // a changed card does not verify with xmlsec1 either
        Files.writeString(cardFile, Files.readString(cardFile).replace(d.messageId, "AAAAAAAAAAAAAAAAAAAAAA=="));
        Process broken = new ProcessBuilder("xmlsec1", "--verify", "--trusted-pem",
                world.pki.anchorFile().toString(), "--id-attr:Id", OSCI + ":ProcessCardBundle",
                cardFile.toString()).redirectErrorStream(true).start();
        assertThat(broken.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(broken.exitValue()).isNotZero();
    }

    @Test
    void processCardsAreShownOnlyToOriginatorAndAddressee() throws Exception {
        OsciTestWorld.Delivery d = world.strangerToParticipant();
        world.client.send(world.behoerden().url(), world.storeRequest(d, world.signing(STRANGER))).assertOk();
        SoapTestClient.Answer other = world.client.send(world.behoerden().url(), world.request("fetchProcessCard",
                OsciTestWorld.AGENCY, world.signing(OsciTestWorld.AGENCY)).body(b -> el(el(b, "FetchProcessCard",
                null), "MessageId", d.messageId)));
        other.assertOk();
        assertThat(SoapTestClient.children(other.payload())).isEmpty();
    }

    private static List<String> times(Element bundle) {
        Element card = child(bundle, OSCI, "ProcessCard");
        return SoapTestClient.children(card).stream().map(Element::getLocalName)
                .filter(n -> List.of("Creation", "Forwarding", "Reception").contains(n)).toList();
    }
}
