package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail to the SMTP listener: what partners make with {@code openssl cms} becomes a verified inbound message; what is
 * hostile or broken is quarantined with its named reason, never dropped; the listener answers 250 only after the
 * gateway stored the outcome.
 */
class SmimeInboundTest {

    static final TestWorld WORLD = TestWorld.get();
    static final String TO = TestWorld.BAD_VILBEL_ADDRESS;

    RecordingSink sink = new RecordingSink();
    MapDirectory directory = WORLD.directory();
    ChannelMemory memory = ChannelMemory.inProcess();
    SmimeAdapter adapter;
    int port;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        adapter = WORLD.start(Map.of("max-message-size", "512KB"), sink, directory, memory);
        port = adapter.listenerPort();
    }

    @AfterEach
    void stop() {
        adapter.close();
    }

    private byte[] signedAndEncrypted(TestWorld.Partner signer, byte[] entity, String subject, String messageId)
            throws Exception {
        Path signed = TestMails.signed(dir, signer, entity);
        Path encrypted = TestMails.encrypted(dir, signed, WORLD.ourEncryptionCertPem, true);
        return TestMails.mail(signer.address(), TO, subject, messageId, encrypted);
    }

    private RecordingSink.Quarantined onlyQuarantined() {
        assertThat(sink.messages).isEmpty();
        assertThat(sink.quarantined).hasSize(1);
        return sink.quarantined.get(0);
    }

    @Test
    void acceptsMailSignedAndEncryptedWithOpenSslAsVerified() throws Exception {
        byte[] mail = signedAndEncrypted(WORLD.viernheim, TestMails.entity(),
                "=?UTF-8?Q?Antrag_auf_Akteneinsicht_=E2=80=93_M=C3=BCller?=", "<antrag-1@viernheim.example>");

        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);

        assertThat(sink.quarantined).isEmpty();
        RecordingSink.Message m = sink.messages.get(0);
        assertThat(m.message().transportId()).isEqualTo("<antrag-1@viernheim.example>");
        assertThat(m.message().from().address()).isEqualTo(TestWorld.VIERNHEIM_ADDRESS);
        assertThat(m.message().to().address()).isEqualTo(TO);
        assertThat(m.message().subject()).isEqualTo("Antrag auf Akteneinsicht – Müller");
        assertThat(m.body()).isEqualTo(TestMails.BODY);
        assertThat(m.parts()).singleElement().satisfies(p -> {
            assertThat(p.fileName()).isEqualTo("Antrag Akteneinsicht Müller.pdf");
            assertThat(p.mediaType()).isEqualTo("application/pdf");
            assertThat(p.content()).isEqualTo(TestMails.ATTACHMENT);
        });
        SignatureCheck check = m.message().signature();
        assertThat(check.status()).isEqualTo(SignatureCheck.Status.VALID);
        assertThat(check.signer()).contains("CN=Stadt Viernheim");
        assertThat(check.certificateStatus()).startsWith("valid");
        assertThat(check.algorithms()).contains("AES-256-GCM", "RSAES-OAEP");
        assertThat(m.message().retrievalReceiptWanted()).isFalse();
        assertThat(directory.offers).singleElement().satisfies(o -> {
            assertThat(o.from().address()).isEqualTo(TestWorld.VIERNHEIM_ADDRESS);
            assertThat(o.chain().get(0)).isEqualTo(WORLD.viernheim.certificate());
        });
    }

    @Test
    void acceptsWhatTheChannelItselfSendsWithReceiptRequests() throws Exception {
        SmimeAdapter sender = WORLD.start(Map.of("relay.host", "127.0.0.1", "relay.port", Integer.toString(port),
                "relay.tls", "none", "listen.enabled", "false"), new RecordingSink(),
                WORLD.directory().certificate(TO, WORLD.ourEncryptionCertificate), ChannelMemory.inProcess());
        try {
            sender.dispatch(Envelopes.letter("d-loop", TO, Set.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT,
                    DeliveryOption.RETRIEVAL_RECEIPT), Envelopes.attachment("Bescheid für Müller.pdf",
                    "application/pdf", TestMails.ATTACHMENT)));
        } finally {
            sender.close();
        }
        RecordingSink.Message m = sink.messages.get(0);
        assertThat(m.message().transportId()).isEqualTo("<d-loop@bad-vilbel.example>");
        assertThat(m.message().subject()).isEqualTo(Envelopes.SUBJECT);
        assertThat(m.body()).isEqualTo(Envelopes.BODY);
        assertThat(m.parts()).singleElement().satisfies(p -> {
            assertThat(p.fileName()).isEqualTo("Bescheid für Müller.pdf");
            assertThat(p.content()).isEqualTo(TestMails.ATTACHMENT);
        });
        assertThat(m.message().retrievalReceiptWanted()).isTrue();
        assertThat(m.message().signature().algorithms()).anySatisfy(a -> assertThat(a).contains("ECDSA"));
    }

    @Test
    void quarantinesABadSignature() throws Exception {
        Path signed = TestMails.signed(dir, WORLD.viernheim, TestMails.entity());
        String tampered = Files.readString(signed, StandardCharsets.ISO_8859_1).replace("Antrag anbei", "Antrag fort");
        byte[] mail = TestMails.mail(WORLD.viernheim.address(), TO, "Antrag", "<bad-sig@viernheim.example>",
                tampered.getBytes(StandardCharsets.ISO_8859_1), "");

        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);

        RecordingSink.Quarantined q = onlyQuarantined();
        assertThat(q.reason()).startsWith("bad signature:").contains("CONTENT_DIGEST_MISMATCH");
        assertThat(q.message().transportId()).isEqualTo("<bad-sig@viernheim.example>");
        // kept as received: the listener's Received trace header (RFC 5321 4.4), then the mail as it was sent
        String raw = new String(q.raw(), StandardCharsets.ISO_8859_1);
        assertThat(raw).startsWith("Received: ").endsWith(new String(mail, StandardCharsets.ISO_8859_1));
    }

    @Test
    void quarantinesASignerFromAnUnknownCa() throws Exception {
        byte[] mail = signedAndEncrypted(WORLD.stranger, TestMails.entity(), "Antrag", "<stranger@x.example>");
        assertThat(TestMails.send(port, WORLD.stranger.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("unknown CA:").contains("Niemand");
    }

    @Test
    void quarantinesARevokedSigner() throws Exception {
        byte[] mail = signedAndEncrypted(WORLD.revoked, TestMails.entity(), "Antrag", "<revoked@x.example>");
        assertThat(TestMails.send(port, WORLD.revoked.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("revoked signer:").contains("Altamt");
    }

    @Test
    void quarantinesASha1Signature() throws Exception {
        Path signed = TestMails.signed(dir, WORLD.viernheim, TestMails.entity(), "-md", "sha1");
        byte[] mail = TestMails.mail(WORLD.viernheim.address(), TO, "Antrag", "<sha1@x.example>",
                TestMails.encrypted(dir, signed, WORLD.ourEncryptionCertPem, true));
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("SHA-1 signature:");
    }

    @Test
    void quarantinesMailEncryptedForAnotherKey() throws Exception {
        Path signed = TestMails.signed(dir, WORLD.viernheim, TestMails.entity());
        byte[] mail = TestMails.mail(WORLD.viernheim.address(), TO, "Antrag", "<other-key@x.example>",
                TestMails.encrypted(dir, signed, WORLD.lampertheim.certPem(), false));
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("encrypted for another key:").contains("NO_MATCHING_KEY");
    }

    @Test
    void quarantinesMalformedMime() throws Exception {
        byte[] mail = TestMails.mail(WORLD.viernheim.address(), TO, "Antrag", "<malformed@x.example>",
                ("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256\r\n\r\n"
                        + "no boundary at all\r\n").getBytes(StandardCharsets.US_ASCII), "");
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("malformed MIME:").contains("boundary");
    }

    @Test
    void quarantinesALineBreakInTheSubject() throws Exception {
        byte[] mail = signedAndEncrypted(WORLD.viernheim, TestMails.entity(),
                "=?UTF-8?Q?Antrag=0D=0ABcc:_alle@example.org?=", "<crlf-subject@x.example>");
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("control characters:").contains("subject")
                .contains("U+000D");
    }

    @Test
    void quarantinesALineBreakInAFileName() throws Exception {
        byte[] mail = signedAndEncrypted(WORLD.viernheim, TestMails.entity("Antrag.pdf%0D%0AX-Evil%3A%201"),
                "Antrag", "<crlf-name@x.example>");
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("control characters:").contains("file name")
                .contains("U+000D");
    }

    @Test
    void quarantinesUnsignedMailWhenSignaturesAreRequired() throws Exception {
        byte[] mail = TestMails.mail(WORLD.viernheim.address(), TO, "Antrag", "<unsigned@x.example>",
                TestMails.entity(), "");
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().reason()).startsWith("unsigned:");
    }

    @Test
    void refusesOversizedMailWith552AndStoresNothing() throws Exception {
        byte[] big = TestMails.mail(WORLD.viernheim.address(), TO, "Antrag", "<big@x.example>",
                ("Content-Type: text/plain\r\n\r\n" + "x".repeat(100).concat("\r\n").repeat(6000))
                        .getBytes(StandardCharsets.US_ASCII), "");
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, big)).isEqualTo(552);
        assertThat(sink.total()).isZero();
    }

    @Test
    void refusesRecipientsThatAreNoParticipantWith550() throws Exception {
        byte[] mail = signedAndEncrypted(WORLD.viernheim, TestMails.entity(), "Antrag", "<nobody@x.example>");
        assertThat(TestMails.send(port, WORLD.viernheim.address(), "nobody@bad-vilbel.example", mail))
                .isEqualTo(550);
        assertThat(sink.total()).isZero();
    }

    @Test
    void answers451WhenTheStoreFailsAndAcceptsTheRetry() throws Exception {
        byte[] mail = signedAndEncrypted(WORLD.viernheim, TestMails.entity(), "Antrag", "<retry@x.example>");
        sink.failNext(1);

        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(451);
        assertThat(sink.total()).isZero();
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(sink.messages).singleElement()
                .satisfies(m -> assertThat(m.message().transportId()).isEqualTo("<retry@x.example>"));
    }

    @Test
    void namesAMailWithoutMessageIdByTheDigestOfItsBytes() throws Exception {
        byte[] mail = TestMails.mail(WORLD.viernheim.address(), TO, "Antrag", null, TestMails.entity(), "");
        assertThat(TestMails.send(port, WORLD.viernheim.address(), TO, mail)).isEqualTo(250);
        assertThat(onlyQuarantined().message().transportId()).matches("sha256:[0-9a-f]{64}");
    }
}
