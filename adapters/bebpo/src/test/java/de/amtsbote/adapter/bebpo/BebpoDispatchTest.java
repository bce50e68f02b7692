package de.amtsbote.adapter.bebpo;

import static de.amtsbote.adapter.bebpo.BebpoWorld.AMT_MAILBOX;
import static de.amtsbote.adapter.bebpo.BebpoWorld.COURT_MAILBOX;
import static de.amtsbote.adapter.bebpo.BebpoWorld.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.JcaNames;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSignatureVerifier;
import de.amtsbote.spi.Assurance;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportReceipt;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Dispatch (contract sections 3–5) against the in-test intermediary, and the process cards that follow. */
class BebpoDispatchTest {

    @TempDir
    static Path dir;
    static BebpoWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new BebpoWorld(dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void friendly() {
        world.intermediary.wrongNonce = false;
        world.intermediary.responseSigner = null;
        world.intermediary.cardSigner = null;
        world.intermediary.requests.clear();
        world.intermediary.operations.clear();
        world.sink.receipts.clear();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void storesAtTheAddresseesIntermediaryAndReturnsTheSignedProcessCardAsProof() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        DispatchResult result = world.adapter.dispatch(envelope(id(), COURT_MAILBOX,
                "%PDF-1.7 Klage".getBytes(StandardCharsets.US_ASCII)));

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.SENT);
        assertThat(Base64.getDecoder().decode(result.transportReference())).hasSize(16);
        assertThat(result.at()).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(result.proof().assurance()).isEqualTo(Assurance.INTERMEDIARY_SIGNED);
        assertThat(result.proof().mediaType()).isEqualTo("application/xml");
        ProcessCard card = ProcessCard.verify(result.proof().content(), world.intermediaryKey.certificate(),
                world.policy);
        assertThat(card.messageId()).isEqualTo(result.transportReference());
        assertThat(world.intermediary.stored).containsKey(result.transportReference());
        assertThat(world.intermediary.operations).containsExactly("getMessageId", "storeDelivery");
    }

    @Test
    void theStoreDeliveryRequestIsTheDoubleEnvelopeOfTheContract() throws Exception {
        byte[] pdf = "%PDF-1.7\n% die Klageschrift\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        DispatchResult result = world.adapter.dispatch(envelope(id(), COURT_MAILBOX, pdf));
        Path raw = world.intermediary.requests.get(1);
        assertThat(world.intermediary.contentTypes.get(world.intermediary.contentTypes.size() - 1))
                .startsWith("multipart/related; type=\"application/xop+xml\"");

        try (FakeIntermediary.Request request = FakeIntermediary.Request.read(raw,
                world.intermediary.contentTypes.get(world.intermediary.contentTypes.size() - 1))) {
            Document envelope = request.envelope;
            // ControlBlock
            Element control = Osci.CONTROL_BLOCK.find(envelope);
            assertThat(Osci.text(control, "Operation")).isEqualTo("storeDelivery");
            assertThat(Osci.text(control, "Caller")).isEqualTo(AMT_MAILBOX);
            assertThat(Base64.getDecoder().decode(Osci.text(control, "Nonce"))).hasSize(16);
            assertThat(Instant.parse(Osci.text(control, "Created"))).isBefore(Instant.now().plusSeconds(1));
            // ClientSignature: exactly #control and #body, by the participant's signing certificate
            VerifiedXml client = world.crypto.xmlVerifier(CertificateUsage.MESSAGE_SIGNATURE).idAttributes(Osci.ID)
                    .verify(envelope, SignatureExpectation.element(Osci.CONTROL_BLOCK).andElement(Osci.BODY)
                            .signatureAt(Osci.HEADER.child(Osci.NS, "ClientSignature").child(Osci.DS, "Signature")));
            assertThat(client.references()).extracting(r -> r.uri()).containsExactly("#control", "#body");
            assertThat(client.signer()).isEqualTo(world.signingCertificate());

            // usage data decrypts with the intermediary's key
            Element body = Osci.BODY.find(envelope);
            Element delivery = world.crypto.xmlDecryptor().decrypt(Osci.required(body, Osci.XENC,
                    "EncryptedData"), world.intermediaryKey).element();
            Document storeDelivery = SecureXml.standard().parse(new ByteArrayInputStream(
                    ProcessCard.serialize(delivery)));
            ElementPath sd = ElementPath.root(Osci.NS, "StoreDelivery");
            VerifiedXml origin = XmlSignatureVerifier.withExpectedSigner(world.policy, world.signingCertificate())
                    .idAttributes(Osci.ID).verify(storeDelivery, SignatureExpectation.element(sd)
                            .signatureAt(sd.child(Osci.DS, "Signature")));
            assertThat(origin.references()).extracting(r -> r.uri()).containsExactly("#delivery");
            Element d = origin.element(sd);
            assertThat(Osci.text(d, "MessageId")).isEqualTo(result.transportReference());
            assertThat(Osci.text(d, "Originator")).isEqualTo(AMT_MAILBOX);
            assertThat(Osci.text(d, "Addressee")).isEqualTo(COURT_MAILBOX);
            assertThat(Osci.text(d, "Subject")).isEqualTo("Klage in Sachen Beispiel");

            // attachment: size and digest of the encrypted bytes match the MTOM part, which decrypts for the court
            Element contentPackage = Osci.required(d, Osci.NS, "ContentPackage");
            Element attachment = Osci.required(contentPackage, Osci.NS, "Attachment");
            assertThat(attachment.getAttributeNS(Osci.NS, "Id")).isEqualTo("att-1");
            Element include = (Element) attachment.getElementsByTagNameNS(Osci.XOP, "Include").item(0);
            assertThat(include.getAttribute("href")).isEqualTo("cid:att-1");
            byte[] encrypted;
            try (InputStream in = request.parts.get("att-1").getInputStream()) {
                encrypted = in.readAllBytes();
            }
            assertThat(attachment.getAttribute("Size")).isEqualTo(Long.toString(encrypted.length));
            assertThat(attachment.getAttribute("Digest")).isEqualTo(sha256(encrypted));
            Element data = Osci.required(attachment, Osci.XENC, "EncryptedData");
            byte[] plain;
            try (InputStream in = world.crypto.xmlDecryptor().decryptBinary(new ByteArrayInputStream(encrypted),
                    Osci.required(data, Osci.XENC, "EncryptionMethod").getAttribute("Algorithm"),
                    Osci.children(Osci.required(data, Osci.DS, "KeyInfo"), Osci.XENC, "EncryptedKey"),
                    world.courtEncryption)) {
                plain = in.readAllBytes();
            }
            assertThat(plain).isEqualTo(pdf);

            // content data decrypts with the court's key only, and carries the content signature
            Element container = world.crypto.xmlDecryptor().decrypt(Osci.required(contentPackage, Osci.XENC,
                    "EncryptedData"), world.courtEncryption).element();
            Document content = SecureXml.standard().parse(new ByteArrayInputStream(ProcessCard.serialize(container)));
            ElementPath cc = ElementPath.root(Osci.NS, "ContentContainer");
            VerifiedXml contentSignature = XmlSignatureVerifier.withExpectedSigner(world.policy,
                    world.signingCertificate()).idAttributes(Osci.ID).verify(content,
                    SignatureExpectation.element(cc).signatureAt(cc.child(Osci.DS, "Signature")));
            assertThat(contentSignature.references()).extracting(r -> r.uri()).containsExactly("#content");
            Element c = contentSignature.element(cc);
            assertThat(new String(Base64.getDecoder().decode(Osci.text(c, "Content")), StandardCharsets.UTF_8))
                    .startsWith("Sehr geehrte Damen und Herren");
            assertThat(Osci.text(c, "Reference")).isEqualTo("AZ 2026-0815");
            Element info = Osci.required(c, Osci.NS, "AttachmentInfo");
            assertThat(info.getAttribute("Ref")).isEqualTo("att-1");
            assertThat(info.getAttribute("Name")).isEqualTo("anlage-1.pdf");
            assertThat(info.getAttribute("Size")).isEqualTo(Integer.toString(pdf.length));
            assertThat(info.getAttribute("Digest")).isEqualTo(sha256(pdf));
        }
    }

    @Test
    void processCardsLaterBecomeDeliveredAndRetrievedReceiptsWithTheBundleAsProof() throws Exception {
        DispatchResult result = world.adapter.dispatch(envelope(id(), COURT_MAILBOX));
        FakeIntermediary.Stored stored = world.intermediary.stored.get(result.transportReference());
        stored.forwarding = Instant.now();
        pollCardsNow();
        assertThat(receiptsFor(result.transportReference())).extracting(TransportReceipt::event)
                .containsExactly(TransportReceipt.Event.DELIVERED);

        stored.reception = Instant.now();
        pollCardsNow();
        pollCardsNow();
        List<TransportReceipt> receipts = receiptsFor(result.transportReference());
        assertThat(receipts).extracting(TransportReceipt::event)
                .containsExactly(TransportReceipt.Event.DELIVERED, TransportReceipt.Event.RETRIEVED);
        ProcessCard card = ProcessCard.verify(receipts.get(1).proof().content(), world.intermediaryKey.certificate(),
                world.policy);
        assertThat(card.reception()).isNotNull();
        assertThat(receipts.get(1).proof().assurance()).isEqualTo(Assurance.INTERMEDIARY_SIGNED);
    }

    @Test
    void aRetryAfterALostAnswerReusesTheMessageIdAndReturnsTheEarlierProcessCard() throws Exception {
        String delivery = id();
        DispatchResult first = world.adapter.dispatch(envelope(delivery, COURT_MAILBOX));
        DispatchResult again = world.adapter.dispatch(envelope(delivery, COURT_MAILBOX)); // as after a lost answer

        assertThat(again.transportReference()).isEqualTo(first.transportReference());
        assertThat(world.intermediary.operations).containsExactly("getMessageId", "storeDelivery", "storeDelivery",
                "fetchProcessCard");
        assertThat(world.intermediary.stored.values().stream()
                .filter(s -> s.messageId.equals(first.transportReference()))).hasSize(1);
        assertThat(again.proof()).isNotNull();
    }

    @Test
    void anAnswerToAnotherNonceIsNotBelieved() {
        world.intermediary.wrongNonce = true;
        assertThatThrownBy(() -> world.adapter.dispatch(envelope(id(), COURT_MAILBOX)))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("not the nonce of our getMessageId request");
    }

    @Test
    void anAnswerSignedByAnotherKeyIsNotBelieved() {
        world.intermediary.responseSigner = world.stranger;
        assertThatThrownBy(() -> world.adapter.dispatch(envelope(id(), COURT_MAILBOX)))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("intermediary signature")
                .hasMessageContaining("not believed");
    }

    @Test
    void aForgedProcessCardIsNeverTakenAsSent() {
        world.intermediary.cardSigner = world.stranger;
        assertThatThrownBy(() -> world.adapter.dispatch(envelope(id(), COURT_MAILBOX)))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("process card is not believed")
                .hasMessageContaining("SIGNATURE_INVALID");
    }

    @Test
    void anUnknownAddresseeFailsPermanentlyNamingTheMailbox() {
        assertThatThrownBy(() -> world.adapter.dispatch(envelope(id(), "DE.Justiz.unknown")))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("knows no mailbox DE.Justiz.unknown");
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedPermanently() throws Exception {
        Path smallDir = java.nio.file.Files.createDirectories(dir.resolve("small-" + id()));
        try (BebpoWorld small = new BebpoWorld(smallDir, java.util.Map.of("max-message-size", "1KB"))) {
            assertThatThrownBy(() -> small.adapter.dispatch(envelope(id(), COURT_MAILBOX, new byte[4096])))
                    .isInstanceOf(PermanentTransportException.class)
                    .hasMessageContaining("larger than 1024 bytes");
        }
    }

    private void pollCardsNow() throws Exception {
        java.lang.reflect.Field f = BebpoAdapter.class.getDeclaredField("lastCardPoll");
        f.setAccessible(true);
        f.set(world.adapter, Instant.EPOCH);
        world.adapter.poll();
    }

    private static List<TransportReceipt> receiptsFor(String reference) {
        return world.sink.receipts.stream().filter(r -> r.transportReference().equals(reference)).toList();
    }

    static String sha256(byte[] bytes) {
        return Base64.getEncoder().encodeToString(JcaNames.messageDigest(Algorithm.SHA256).digest(bytes));
    }
}
