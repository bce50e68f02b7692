package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.smime.SmimeLayer;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.PermanentTransportException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound mail as a real mail server (GreenMail) receives it: the headers of the wire contract, the S/MIME forms
 * for each choice of sign and encrypt, and what the recipient can open with our crypto and with {@code openssl cms}.
 */
class SmimeOutboundTest {

    static final TestWorld WORLD = TestWorld.get();
    static final byte[] PDF = "%PDF-1.7 Bescheid\n".repeat(200).getBytes(StandardCharsets.US_ASCII);

    GreenMail greenMail;
    SmimeAdapter adapter;
    ChannelMemory memory = ChannelMemory.inProcess();
    MapDirectory directory = WORLD.directory();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        greenMail.start();
        // the gateway participant may be written to as well: its certificate is in the directory
        directory.certificate(TestWorld.BAD_VILBEL_ADDRESS, WORLD.ourEncryptionCertificate);
        adapter = WORLD.start(Map.of("relay.host", "127.0.0.1",
                "relay.port", Integer.toString(greenMail.getSmtp().getPort()), "relay.tls", "none",
                "listen.enabled", "false"), new RecordingSink(), directory, memory);
    }

    @AfterEach
    void stop() {
        adapter.close();
        greenMail.stop();
    }

    private byte[] received(int index) throws Exception {
        assertThat(greenMail.waitForIncomingEmail(5000, index + 1)).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        greenMail.getReceivedMessages()[index].writeTo(out);
        return out.toByteArray();
    }

    private static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    @Test
    void sendsTheHeadersOfTheWireContract() throws Exception {
        DispatchResult result = adapter.dispatch(Envelopes.letter("d-headers", TestWorld.VIERNHEIM_ADDRESS,
                Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT, DeliveryOption.RETRIEVAL_RECEIPT)));

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.SENT);
        assertThat(result.transportReference()).isEqualTo("<d-headers@bad-vilbel.example>");
        MimeMessage mail = parse(received(0));
        assertThat(mail.getHeader("From", null)).isEqualTo(TestWorld.BAD_VILBEL_ADDRESS);
        assertThat(mail.getHeader("To", null)).isEqualTo(TestWorld.VIERNHEIM_ADDRESS);
        assertThat(mail.getSubject()).isEqualTo(Envelopes.SUBJECT);
        assertThat(mail.getHeader("Subject", null)).startsWith("=?UTF-8?");
        assertThat(mail.getMessageID()).isEqualTo("<d-headers@bad-vilbel.example>");
        assertThat(mail.getHeader("MIME-Version", null)).isEqualTo("1.0");
        assertThat(mail.getHeader("X-Amtsbote-Reference", null)).isEqualTo("AZ 2026-0815");
        assertThat(mail.getHeader("Disposition-Notification-To", null))
                .isEqualTo("<" + TestWorld.BAD_VILBEL_ADDRESS + ">");
        assertThat(mail.getSentDate()).isNotNull();
        assertThat(mail.getContentType()).contains("application/pkcs7-mime").contains("authEnveloped-data");
    }

    @Test
    void asksForNoReceiptUnlessTheEnvelopeDoes() throws Exception {
        adapter.dispatch(Envelopes.letter("d-noreceipt", TestWorld.VIERNHEIM_ADDRESS, Envelopes.SIGN_AND_ENCRYPT));
        assertThat(parse(received(0)).getHeader("Disposition-Notification-To")).isNull();
    }

    @Test
    void keepsTheMessageIdAcrossAttempts() throws Exception {
        String first = adapter.dispatch(Envelopes.letter("d-again", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT)).transportReference();
        String second = adapter.dispatch(Envelopes.letter("d-again", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT)).transportReference();
        assertThat(second).isEqualTo(first);
        assertThat(parse(received(1)).getMessageID()).isEqualTo(first);
    }

    @Test
    void openSslDecryptsAndVerifiesWhatThePeerReceived() throws Exception {
        adapter.dispatch(Envelopes.letter("d-openssl", TestWorld.VIERNHEIM_ADDRESS, Envelopes.SIGN_AND_ENCRYPT,
                Envelopes.attachment("Bescheid Gewerbe.pdf", "application/pdf", PDF)));
        Files.write(dir.resolve("mail.eml"), received(0));
        TestWorld.Partner viernheim = WORLD.viernheim;

        OpenSsl.ok(dir, "cms", "-decrypt", "-in", "mail.eml", "-recip", viernheim.certPem().toString(),
                "-inkey", viernheim.keyPem().toString(), "-out", "signed.eml");
        OpenSsl.Run verify = OpenSsl.ok(dir, "cms", "-verify", "-in", "signed.eml", "-CAfile",
                WORLD.caPem.toString(), "-out", "content.eml");

        assertThat(verify.stderr()).contains("Verification successful");
        MimeMessage content = parse(Files.readAllBytes(dir.resolve("content.eml")));
        Multipart mixed = (Multipart) content.getContent();
        assertThat(content.getContentType()).startsWith("multipart/mixed");
        assertThat(mixed.getBodyPart(0).getContent()).isEqualTo(Envelopes.BODY);
        Part pdf = mixed.getBodyPart(1);
        assertThat(pdf.getFileName()).isEqualTo("Bescheid Gewerbe.pdf");
        assertThat(pdf.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(pdf.getInputStream().readAllBytes()).isEqualTo(PDF);
    }

    @Test
    void aParticipantOpensItWithOurCryptoSignedThenEncrypted() throws Exception {
        adapter.dispatch(Envelopes.letter("d-self", TestWorld.BAD_VILBEL_ADDRESS, Envelopes.SIGN_AND_ENCRYPT));
        ByteArrayOutputStream inner = new ByteArrayOutputStream();

        SmimeResult result = WORLD.crypto.smimeOpener(TestWorld.BAD_VILBEL)
                .open(new ByteArrayInputStream(received(0)), inner);

        assertThat(result.valid()).as(result.describe()).isTrue();
        assertThat(result.layers()).extracting(SmimeLayer::kind)
                .containsExactly(SmimeLayer.Kind.ENCRYPTED, SmimeLayer.Kind.CLEAR_SIGNED);
        assertThat(result.contentType()).isEqualTo("multipart/mixed");
        assertThat(inner.toString(StandardCharsets.US_ASCII)).contains("Content-Type: text/plain; charset=UTF-8");
    }

    @Test
    void signsOnlyAsClearSignedMultipart() throws Exception {
        adapter.dispatch(Envelopes.letter("d-signed", TestWorld.VIERNHEIM_ADDRESS, Set.of(DeliveryOption.SIGN)));
        byte[] raw = received(0);
        assertThat(parse(raw).getContentType()).startsWith("multipart/signed")
                .contains("application/pkcs7-signature");
        Files.write(dir.resolve("signed.eml"), raw);
        OpenSsl.Run verify = OpenSsl.ok(dir, "cms", "-verify", "-in", "signed.eml", "-CAfile", WORLD.caPem.toString(),
                "-out", "content.eml");
        assertThat(verify.stderr()).contains("Verification successful");
    }

    @Test
    void encryptsOnlyTheMultipartMixed() throws Exception {
        adapter.dispatch(Envelopes.letter("d-encrypted", TestWorld.BAD_VILBEL_ADDRESS, Set.of(DeliveryOption.ENCRYPT)));
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        SmimeResult result = WORLD.crypto.smimeOpener(TestWorld.BAD_VILBEL)
                .open(new ByteArrayInputStream(received(0)), inner);
        assertThat(result.valid()).as(result.describe()).isTrue();
        assertThat(result.layers()).extracting(SmimeLayer::kind).containsExactly(SmimeLayer.Kind.ENCRYPTED);
        assertThat(result.contentType()).isEqualTo("multipart/mixed");
    }

    @Test
    void sendsTheBareMultipartMixedWithoutSignOrEncrypt() throws Exception {
        adapter.dispatch(Envelopes.letter("d-plain", TestWorld.VIERNHEIM_ADDRESS, Set.of()));
        MimeMessage mail = parse(received(0));
        assertThat(mail.getContentType()).startsWith("multipart/mixed");
        assertThat(((MimeMultipart) mail.getContent()).getBodyPart(0).getContent()).isEqualTo(Envelopes.BODY);
    }

    @Test
    void asksForAnEssReceiptAndRemembersWhatItSigned() throws Exception {
        adapter.dispatch(Envelopes.letter("d-ess", TestWorld.BAD_VILBEL_ADDRESS,
                Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT, DeliveryOption.RETRIEVAL_RECEIPT)));
        SmimeResult result = WORLD.crypto.smimeOpener(TestWorld.BAD_VILBEL)
                .open(new ByteArrayInputStream(received(0)), new ByteArrayOutputStream());

        assertThat(result.receiptRequests()).singleElement()
                .satisfies(r -> assertThat(r.receiptsTo()).containsExactly(TestWorld.BAD_VILBEL_ADDRESS));
        byte[] id = result.receiptRequests().get(0).signedContentIdentifier();
        SentRecord remembered = SentRecord.decode(memory.recall(SentRecord.essKey(id)).orElseThrow());
        assertThat(remembered.messageId()).isEqualTo("<d-ess@bad-vilbel.example>");
        assertThat(remembered.recipient()).isEqualTo(TestWorld.BAD_VILBEL_ADDRESS);
        SentSignature signature = remembered.signature();
        assertThat(signature.signatureValue())
                .isEqualTo(result.receiptRequests().get(0).originatorSignatureValue());
        assertThat(SentRecord.decode(memory.recall(SentRecord.sentKey("d-ess")).orElseThrow()).messageId())
                .isEqualTo("<d-ess@bad-vilbel.example>");
    }

    @Test
    void encodesNonAsciiFileNamesPerRfc2231() throws Exception {
        String name = "Gebührenbescheid für Familie Müller – Anlage 1 (endgültige Fassung, bitte aufbewahren).pdf";
        adapter.dispatch(Envelopes.letter("d-names", TestWorld.VIERNHEIM_ADDRESS, Set.of(),
                Envelopes.attachment(name, "application/pdf", PDF)));
        byte[] raw = received(0);
        assertThat(new String(raw, StandardCharsets.US_ASCII)).contains("filename*0*=UTF-8''Geb%C3%BChren");
        for (byte b : raw) {
            assertThat(b & 0xff).as("7-bit mail").isLessThan(0x80);
        }
        Part pdf = ((MimeMultipart) parse(raw).getContent()).getBodyPart(1);
        assertThat(pdf.getFileName()).isEqualTo(name);
    }

    @Test
    void refusesALineBreakInTheSubjectAndSendsNothing() {
        assertThatThrownBy(() -> adapter.dispatch(Envelopes.envelope("d-inject", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT, "Bescheid\r\nBcc: alle@example.org", null, "x", List.of())))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("subject").hasMessageContaining("U+000D");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesAControlCharacterInAFileNameOrReference() {
        assertThatThrownBy(() -> adapter.dispatch(Envelopes.letter("d-inject-name", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT, Envelopes.attachment("a\nContent-Type: text/html.pdf", "application/pdf",
                        PDF)))).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("file name of attachment 1").hasMessageContaining("U+000A");
        assertThatThrownBy(() -> adapter.dispatch(Envelopes.envelope("d-inject-ref", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT, "Bescheid", "AZ\u0000 1", "x", List.of())))
                .isInstanceOf(PermanentTransportException.class).hasMessageContaining("reference");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesARecipientWithoutAKnownCertificateNamingIt() {
        assertThatThrownBy(() -> adapter.dispatch(Envelopes.letter("d-nocert", "wer@unbekannt.example",
                Envelopes.SIGN_AND_ENCRYPT))).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("smime:wer@unbekannt.example");
    }

    @Test
    void refusesToEncryptForARevokedCertificate() {
        assertThatThrownBy(() -> adapter.dispatch(Envelopes.letter("d-revoked", TestWorld.REVOKED_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT))).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining(TestWorld.REVOKED_ADDRESS).hasMessageContaining("revoked");
    }

    @Test
    void dispatchesFromSeveralThreadsOverThePooledConnections() throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<DispatchResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String id = "d-par-" + i;
                results.add(threads.submit(() -> adapter.dispatch(Envelopes.letter(id, TestWorld.VIERNHEIM_ADDRESS,
                        Envelopes.SIGN_AND_ENCRYPT))));
            }
            for (var r : results) {
                r.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(greenMail.waitForIncomingEmail(10_000, 24)).isTrue();
        assertThat(java.util.Arrays.stream(greenMail.getReceivedMessages()).map(m -> {
            try {
                return m.getMessageID();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).distinct()).hasSize(24);
    }

    @Test
    void describesWhatTheChannelHonours() {
        assertThat(adapter.describe().options()).containsExactlyInAnyOrder(DeliveryOption.SIGN,
                DeliveryOption.ENCRYPT, DeliveryOption.DELIVERY_RECEIPT, DeliveryOption.RETRIEVAL_RECEIPT);
        assertThat(adapter.peerOf(new ChannelAddress("smime", TestWorld.VIERNHEIM_ADDRESS)))
                .isEqualTo("127.0.0.1:" + greenMail.getSmtp().getPort());
    }
}
