package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.TransientTransportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releasing a quarantined mail: the adapter checks it again with the code that checked it on arrival, for the
 * recipients the SMTP envelope named then, and hands the outcome to the sink it is given — accepted once the partner's
 * CA is trusted, quarantined again with the reason while it is not.
 */
class SmimeRecheckTest {

    static final TestWorld WORLD = TestWorld.get();
    static final String TO = TestWorld.BAD_VILBEL_ADDRESS;
    static final String OTHER_PARTICIPANT = "poststelle@karben.example";
    static final String LORSCH = "buergerbuero@lorsch.example";

    static CertificateAuthority partnerCa;
    static RevocationResponder partnerOcsp;
    static TestWorld.Partner lorsch;
    static Path partnerDir;

    /** The validator the adapter's crypto door uses: the test CA only, until the partner's CA is trusted. */
    final AtomicReference<CertificateValidator> trust = new AtomicReference<>(validator(false));
    final RecordingSink arrivals = new RecordingSink();
    SmimeAdapter adapter;

    @TempDir
    Path dir;

    @BeforeAll
    static void partnerWithItsOwnCa() throws Exception {
        partnerDir = Files.createTempDirectory("smime-recheck-partner");
        partnerCa = CertificateAuthority.root("Kommunale Partner-CA Lorsch", KeySpec.ec("P-256"), Clock.systemUTC());
        partnerOcsp = RevocationResponder.start(partnerCa, Clock.systemUTC());
        IssuedCertificate issued = partnerCa.issue(IssueRequest.named("Stadt Lorsch")
                .profile(CertificateProfile.SIGNING_AND_ENCRYPTION).key(KeySpec.ec("P-256")).email(LORSCH)
                .ocsp(partnerOcsp.ocspUrl()));
        Path cert = partnerDir.resolve("lorsch.pem");
        Path key = partnerDir.resolve("lorsch.key");
        Pem.writeCertificate(cert, issued.certificate());
        Pem.writeTestPrivateKey(key, issued.privateKey());
        lorsch = new TestWorld.Partner(LORSCH, issued, cert, key);
    }

    @AfterAll
    static void stopPartnerOcsp() {
        partnerOcsp.close();
    }

    @BeforeEach
    void start() throws Exception {
        CertificateValidator switching = (certificate, intermediates, usage, at) ->
                trust.get().validate(certificate, intermediates, usage, at);
        Crypto crypto = Crypto.of(WORLD.policy, WORLD.vault, switching, Clock.systemUTC());
        MapDirectory directory = WORLD.directory().participant(OTHER_PARTICIPANT, "stadt-karben");
        adapter = WORLD.start(Map.of("max-message-size", "512KB"), arrivals, directory, ChannelMemory.inProcess(),
                crypto);
    }

    @AfterEach
    void stop() {
        adapter.close();
    }

    private static CertificateValidator validator(boolean partnerTrusted) {
        PkixCertificateValidator.Builder b = PkixCertificateValidator.builder().trustAnchor(WORLD.ca.certificate())
                .policy(WORLD.policy);
        if (partnerTrusted) {
            b.trustAnchor(partnerCa.certificate());
        }
        return b.build();
    }

    /** A mail from Lorsch, signed by its CA's certificate and encrypted for us, with these header recipients. */
    private byte[] fromLorsch(String headerTo, String messageId) throws Exception {
        Path signed = TestMails.signed(dir, lorsch, TestMails.entity());
        Path encrypted = TestMails.encrypted(dir, signed, WORLD.ourEncryptionCertPem, true);
        return TestMails.mail(LORSCH, headerTo, "Antrag auf Akteneinsicht", messageId, encrypted);
    }

    /** What the gateway keeps of a quarantined mail, handed back as the gateway hands it back. */
    private static QuarantinedMessage keptAs(RecordingSink.Quarantined q) {
        byte[] raw = q.raw();
        QuarantinedMessage m = q.message();
        return new QuarantinedMessage(m.transportId(), m.reason(), m.receivedAt(),
                () -> new ByteArrayInputStream(raw), m.deliveredTo());
    }

    private RecordingSink.Quarantined quarantinedOnArrival(byte[] mail) throws IOException {
        assertThat(TestMails.send(adapter.listenerPort(), LORSCH, TO, mail)).isEqualTo(250);
        assertThat(arrivals.messages).isEmpty();
        assertThat(arrivals.quarantined).hasSize(1);
        return arrivals.quarantined.get(0);
    }

    @Test
    void aMailFromAnUntrustedCaIsAcceptedOnRecheckOnceItsCaIsTrusted() throws Exception {
        RecordingSink.Quarantined q = quarantinedOnArrival(fromLorsch(TO, "<antrag-7@lorsch.example>"));
        assertThat(q.reason()).startsWith("unknown CA:").contains("Stadt Lorsch");
        assertThat(q.message().deliveredTo()).containsExactly(TO);

        trust.set(validator(true));
        RecordingSink recheck = new RecordingSink();
        adapter.recheck(keptAs(q), recheck);

        assertThat(recheck.quarantined).isEmpty();
        RecordingSink.Message m = recheck.messages.get(0);
        assertThat(recheck.messages).hasSize(1);
        assertThat(m.message().transportId()).isEqualTo("<antrag-7@lorsch.example>");
        assertThat(m.message().to().address()).isEqualTo(TO);
        assertThat(m.message().from().address()).isEqualTo(LORSCH);
        assertThat(m.message().receivedAt()).as("the first arrival").isEqualTo(q.message().receivedAt());
        assertThat(m.message().signature().signer()).contains("CN=Stadt Lorsch");
        assertThat(m.body()).isEqualTo(TestMails.BODY);
        assertThat(m.parts()).singleElement().satisfies(p -> assertThat(p.content()).isEqualTo(TestMails.ATTACHMENT));
        assertThat(arrivals.total()).as("nothing went to the channel's own sink").isEqualTo(1);
    }

    @Test
    void aRecheckThatStillFailsHandsBackTheReasonAndNoMessage() throws Exception {
        RecordingSink.Quarantined q = quarantinedOnArrival(fromLorsch(TO, "<antrag-8@lorsch.example>"));

        RecordingSink recheck = new RecordingSink();
        adapter.recheck(keptAs(q), recheck);

        assertThat(recheck.messages).isEmpty();
        assertThat(recheck.quarantined).singleElement().satisfies(again -> {
            assertThat(again.reason()).isEqualTo(q.reason());
            assertThat(again.message().transportId()).isEqualTo("<antrag-8@lorsch.example>");
            assertThat(again.message().receivedAt()).isEqualTo(q.message().receivedAt());
            assertThat(again.message().deliveredTo()).containsExactly(TO);
            assertThat(again.raw()).isEqualTo(q.raw());
        });
    }

    @Test
    void aRecheckGoesToTheEnvelopeRecipientNotToWhomTheHeadersName() throws Exception {
        // RCPT TO names our participant, the To header another one: the envelope decided on arrival, so it decides now
        RecordingSink.Quarantined q = quarantinedOnArrival(fromLorsch(OTHER_PARTICIPANT, "<antrag-9@lorsch.example>"));
        assertThat(q.message().deliveredTo()).containsExactly(TO);

        trust.set(validator(true));
        RecordingSink recheck = new RecordingSink();
        adapter.recheck(keptAs(q), recheck);

        assertThat(recheck.messages).singleElement()
                .satisfies(m -> assertThat(m.message().to().address()).isEqualTo(TO));
    }

    @Test
    void aMailOverTheSizeLimitStaysQuarantinedWithoutBeingRead() throws Exception {
        byte[] big = TestMails.mail(LORSCH, TO, "Antrag", "<big-9@lorsch.example>",
                ("Content-Type: text/plain\r\n\r\n" + "x".repeat(100).concat("\r\n").repeat(6000))
                        .getBytes(StandardCharsets.US_ASCII), "");
        Instant arrived = Instant.parse("2026-11-24T09:00:00Z");
        RecordingSink recheck = new RecordingSink();

        adapter.recheck(new QuarantinedMessage("<big-9@lorsch.example>", "oversized: …", arrived,
                () -> new ByteArrayInputStream(big), List.of(TO)), recheck);

        assertThat(recheck.messages).isEmpty();
        assertThat(recheck.quarantined).singleElement().satisfies(again -> {
            assertThat(again.reason()).startsWith("oversized:").contains("max-message-size");
            assertThat(again.message().transportId()).isEqualTo("<big-9@lorsch.example>");
            assertThat(again.message().receivedAt()).isEqualTo(arrived);
        });
    }

    @Test
    void aRawItemThatCannotBeReadIsATransientFailureThatStoresNothing() {
        RecordingSink recheck = new RecordingSink();
        assertThatThrownBy(() -> adapter.recheck(new QuarantinedMessage("<gone@lorsch.example>", "unknown CA: …",
                Instant.now(), () -> {
                    throw new IOException("content 0190… is missing from the content store");
                }, List.of(TO)), recheck))
                .isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("<gone@lorsch.example>").hasMessageContaining("missing from the content store");
        assertThat(recheck.total()).isZero();
    }
}
