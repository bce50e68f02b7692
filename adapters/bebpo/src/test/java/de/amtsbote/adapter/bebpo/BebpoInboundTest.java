package de.amtsbote.adapter.bebpo;

import static de.amtsbote.adapter.bebpo.BebpoWorld.AMT;
import static de.amtsbote.adapter.bebpo.BebpoWorld.AMT_MAILBOX;
import static de.amtsbote.adapter.bebpo.BebpoWorld.COURT_MAILBOX;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.xml.XmlRecipient;
import de.amtsbote.crypto.xml.XmlSigner;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.SignatureCheck;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Fetching the gateway's own mailbox (contract section 4): verified, decrypted, handed in, then acknowledged. */
class BebpoInboundTest {

    static final String AUTHORITY = "DE.BehoerdeBPo.stadtwerke-0002";
    static final String FORGED_AUTHORITY = "DE.BehoerdeBPo.vhn-elsewhere-0003";

    @TempDir
    static Path dir;
    static BebpoWorld world;
    static OsciClient spool;

    @BeforeAll
    static void start() throws Exception {
        world = new BebpoWorld(dir);
        spool = new OsciClient(HttpClient.newHttpClient(), Duration.ofSeconds(5), dir.resolve("court-spool"),
                1L << 30, world.policy, world.crypto.validator(), Clock.systemUTC());
        // a beBPo whose origin (VHN) certificate is its signature certificate, and one whose VHN is someone else's
        world.intermediary.addMailbox(AUTHORITY, "Stadtwerke Beispiel", true, world.courtEncryption.certificate(),
                world.courtSigning.certificate(), world.courtSigning.certificate());
        world.intermediary.addMailbox(FORGED_AUTHORITY, "Behörde mit anderem VHN", true,
                world.courtEncryption.certificate(), world.courtSigning.certificate(), world.stranger.certificate());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void clear() throws Exception {
        world.sink.accepted.clear();
        world.sink.bodies.clear();
        world.sink.parts.clear();
        world.sink.proofs.clear();
        world.sink.quarantined.clear();
        world.sink.reasons.clear();
        world.intermediary.queue.clear();
        world.intermediary.encryption.put(AMT_MAILBOX, amtEncryption().certificate());
    }

    static PrivateKeyHandle amtEncryption() throws Exception {
        return world.crypto.decryptionKeys(AMT).get(0);
    }

    /** A delivery to the gateway's mailbox as another mailbox's client writes it. */
    static DeliveryWriter.Written delivery(String originator, PrivateKeyHandle signer, X509Certificate contentFor,
                                           byte[]... attachments) throws Exception {
        OutboundEnvelope envelope = BebpoWorld.envelope(UUID.randomUUID().toString(), AMT_MAILBOX, attachments);
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return new DeliveryWriter(world.crypto.xmlEncryptor(), new XmlSigner(signer, world.policy), spool).write(
                envelope, Base64.getEncoder().encodeToString(id), originator, AMT_MAILBOX,
                XmlRecipient.of(contentFor), 1L << 30);
    }

    @Test
    void aDeliveryIsVerifiedDecryptedHandedInAndThenAcknowledged() throws Exception {
        byte[] pdf = "%PDF-1.7\n% Ladung zum Termin\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        DeliveryWriter.Written written = delivery(COURT_MAILBOX, world.courtSigning, amtEncryption().certificate(),
                pdf);
        world.intermediary.enqueue(written);
        String messageId = Osci.text(written.storeDelivery().getDocumentElement(), "MessageId");

        world.adapter.poll();

        assertThat(world.sink.reasons).isEmpty();
        assertThat(world.sink.accepted).hasSize(1);
        InboundMessage message = world.sink.accepted.get(0);
        assertThat(message.transportId()).isEqualTo(messageId);
        assertThat(message.from()).isEqualTo(new ChannelAddress("bebpo", COURT_MAILBOX));
        assertThat(message.to()).isEqualTo(new ChannelAddress("bebpo", AMT_MAILBOX));
        assertThat(message.subject()).isEqualTo("Klage in Sachen Beispiel");
        assertThat(world.sink.bodies.get(0)).startsWith("Sehr geehrte Damen und Herren");
        assertThat(world.sink.parts.get(0)).containsOnlyKeys("anlage-1.pdf");
        assertThat(world.sink.parts.get(0).get("anlage-1.pdf")).isEqualTo(pdf);
        // the test PKI has no revocation service, which the validator flags; nothing else may be flagged
        assertThat(message.signature().status()).isEqualTo(SignatureCheck.Status.VALID_WITH_WARNINGS);
        assertThat(message.signature().warnings()).containsExactly(
                "revocation not checked: switched off by configuration");
        assertThat(message.signature().signer()).contains("Amtsgericht Musterstadt");
        assertThat(message.signature().certificateStatus()).contains("origin verified: mailbox " + COURT_MAILBOX);

        assertThat(world.intermediary.queue).isEmpty();
        assertThat(world.intermediary.stored.get(messageId).reception).isNotNull();
        assertThat(world.intermediary.operations).containsSubsequence("fetchDelivery", "acknowledgeDelivery",
                "fetchDelivery");
        assertThat(world.sink.proofs).extracting(InboundProof::event)
                .containsExactly(InboundProof.Event.DELIVERED, InboundProof.Event.RETRIEVED);
        assertThat(world.sink.proofs).allMatch(p -> p.transportId().equals(messageId));
        ProcessCard reception = ProcessCard.verify(world.sink.proofs.get(1).proof().content(),
                world.intermediaryKey.certificate(), world.policy);
        assertThat(reception.reception()).isNotNull();
    }

    @Test
    void aBehoerdenpostfachsOriginIsCheckedAgainstItsVhnCertificate() throws Exception {
        world.intermediary.enqueue(delivery(AUTHORITY, world.courtSigning, amtEncryption().certificate()));
        world.adapter.poll();
        assertThat(world.sink.accepted).hasSize(1);
        assertThat(world.sink.accepted.get(0).signature().certificateStatus())
                .contains("origin verified: beBPo " + AUTHORITY + " (Stadtwerke Beispiel)");
    }

    @Test
    void anOriginSignatureNotByTheDirectorysVhnCertificateIsQuarantined() throws Exception {
        world.intermediary.enqueue(delivery(FORGED_AUTHORITY, world.courtSigning, amtEncryption().certificate()));
        world.adapter.poll();
        assertQuarantinedAndAcknowledged("not by the origin (VHN) certificate the directory names for "
                + FORGED_AUTHORITY);
    }

    @Test
    void aForgedOriginSignatureIsQuarantined() throws Exception {
        world.intermediary.enqueue(delivery(COURT_MAILBOX, world.stranger, amtEncryption().certificate()));
        world.adapter.poll();
        assertQuarantinedAndAcknowledged("the origin signature is by CN=Somebody Else");
    }

    @Test
    void contentEncryptedForAnotherKeyIsQuarantined() throws Exception {
        world.intermediary.enqueue(delivery(COURT_MAILBOX, world.courtSigning, world.stranger.certificate(),
                "x".getBytes(StandardCharsets.US_ASCII)));
        world.adapter.poll();
        assertQuarantinedAndAcknowledged("is not encrypted for the keys of the mailbox's participant");
    }

    @Test
    void usageDataEncryptedForAnotherKeyIsQuarantined() throws Exception {
        world.intermediary.encryption.put(AMT_MAILBOX, world.stranger.certificate());
        world.intermediary.enqueue(delivery(COURT_MAILBOX, world.courtSigning, amtEncryption().certificate()));
        world.adapter.poll();
        assertQuarantinedAndAcknowledged("the usage data (StoreDelivery)");
        assertThat(world.sink.reasons.get(0)).contains("not encrypted for our key");
    }

    @Test
    void aBrokenContentSignatureIsQuarantined() throws Exception {
        DeliveryWriter.Written written = delivery(COURT_MAILBOX, world.courtSigning, amtEncryption().certificate());
        // the sender's client alters the body after signing it, then seals the envelope as usual
        Document tampered = resealed(written, d -> {
            Element contentPackage = Osci.required(d.getDocumentElement(), Osci.NS, "ContentPackage");
            Element container = world.crypto.xmlDecryptor().decrypt(Osci.required(contentPackage, Osci.XENC,
                    "EncryptedData"), amtEncryption()).element();
            Osci.required(container, Osci.NS, "Content").setTextContent(Base64.getEncoder().encodeToString(
                    "Geänderter Text".getBytes(StandardCharsets.UTF_8)));
            world.crypto.xmlEncryptor().encryptElement(container, java.util.List.of(
                    XmlRecipient.of(amtEncryption().certificate())));
        });
        world.intermediary.enqueue(new DeliveryWriter.Written(tampered, written.parts()));
        world.adapter.poll();
        assertQuarantinedAndAcknowledged("content signature");
        assertThat(world.sink.reasons.get(0)).contains("DIGEST_MISMATCH");
    }

    @Test
    void anAttachmentNotMatchingItsSignedDigestIsQuarantined() throws Exception {
        DeliveryWriter.Written written = delivery(COURT_MAILBOX, world.courtSigning, amtEncryption().certificate(),
                "%PDF-1.7 Anlage".getBytes(StandardCharsets.US_ASCII));
        Document tampered = resealed(written, d -> {
            Element attachment = Osci.required(Osci.required(d.getDocumentElement(), Osci.NS, "ContentPackage"),
                    Osci.NS, "Attachment");
            attachment.setAttributeNS(null, "Digest", BebpoDispatchTest.sha256(new byte[] {1, 2, 3}));
        });
        world.intermediary.enqueue(new DeliveryWriter.Written(tampered, written.parts()));
        world.adapter.poll();
        assertQuarantinedAndAcknowledged("does not match the Digest the origin signature covers");
    }

    interface Change {
        void apply(Document storeDelivery) throws Exception;
    }

    /** The StoreDelivery changed and signed again by the originator (a sender whose own data is inconsistent). */
    private static Document resealed(DeliveryWriter.Written written, Change change) throws Exception {
        Document d = Osci.reparse(written.storeDelivery());
        Element signature = Osci.required(d.getDocumentElement(), Osci.DS, "Signature");
        d.getDocumentElement().removeChild(signature);
        change.apply(d);
        d = Osci.reparse(d);
        new XmlSigner(world.courtSigning, world.policy).idAttribute(Osci.ID).signing(d)
                .coverElement(d.getDocumentElement()).placeIn(d.getDocumentElement()).sign();
        return d;
    }

    private static void assertQuarantinedAndAcknowledged(String reason) {
        assertThat(world.sink.accepted).isEmpty();
        assertThat(world.sink.reasons).hasSize(1);
        assertThat(world.sink.reasons.get(0)).contains(reason);
        assertThat(world.sink.quarantined.get(0).transportId()).isNotBlank();
        assertThat(world.sink.proofs).isEmpty();
        assertThat(world.intermediary.queue).as("acknowledged, so that it does not block the mailbox").isEmpty();
    }
}
