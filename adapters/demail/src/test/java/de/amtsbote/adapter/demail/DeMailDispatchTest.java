package de.amtsbote.adapter.demail;

import static de.amtsbote.adapter.demail.DeMailWorld.ERIKA;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS;
import static de.amtsbote.adapter.demail.DeMailWorld.KREIS_ADDRESS;
import static de.amtsbote.adapter.demail.DeMailWorld.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.demail.BodyHash;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.DispatchResult;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Submission to the provider (wire contract section 2) over real SMTPS with the gateway's TLS client certificate. */
class DeMailDispatchTest {

    @TempDir
    static Path dir;
    static DeMailWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new DeMailWorld(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    @BeforeEach
    void scriptNothing() {
        world.smtp.replies.clear();
    }

    /** Every combination of the six options. */
    static Stream<Set<DeliveryOption>> everyOptionCombination() {
        List<Set<DeliveryOption>> all = new ArrayList<>();
        DeliveryOption[] options = DeliveryOption.values();
        for (int mask = 0; mask < 1 << options.length; mask++) {
            Set<DeliveryOption> set = EnumSet.noneOf(DeliveryOption.class);
            for (int i = 0; i < options.length; i++) {
                if ((mask & 1 << i) != 0) {
                    set.add(options[i]);
                }
            }
            all.add(set);
        }
        return all.stream();
    }

    /** The option table of the contract: which field each option sets to yes (retrieval also sets private). */
    private static Map<String, String> expectedOptionFields(Set<DeliveryOption> o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("x-de-mail-confirmation-of-dispatch", yes(o.contains(DeliveryOption.DISPATCH_RECEIPT)));
        m.put("x-de-mail-confirmation-of-receipt", yes(o.contains(DeliveryOption.DELIVERY_RECEIPT)));
        m.put("x-de-mail-confirmation-of-retrieve", yes(o.contains(DeliveryOption.RETRIEVAL_RECEIPT)));
        m.put("x-de-mail-authoritative", yes(o.contains(DeliveryOption.SIGN)));
        m.put("x-de-mail-private", yes(o.contains(DeliveryOption.PERSONAL)
                || o.contains(DeliveryOption.RETRIEVAL_RECEIPT)));
        return m;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static List<String> headerLines(String mail) {
        return List.of(mail.substring(0, mail.indexOf("\r\n\r\n")).replace("\r\n\t", " ").replace("\r\n ", " ")
                .split("\r\n"));
    }

    @ParameterizedTest
    @MethodSource("everyOptionCombination")
    void writesTheHeaderFieldsOfTheContractInItsOrderForEveryOptionCombination(Set<DeliveryOption> options)
            throws Exception {
        String deliveryId = "d-" + options.stream().map(o -> o.name().substring(0, 2)).sorted()
                .reduce("", String::concat).toLowerCase() + "-" + System.nanoTime();
        DispatchResult result = world.adapter.dispatch(envelope(deliveryId, KREIS, KREIS_ADDRESS, KREIS_ADDRESS,
                options));

        ProviderSmtp.Received mail = world.smtp.received.get(world.smtp.received.size() - 1);
        List<String> lines = headerLines(mail.text());
        List<String> names = lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
        // the S/MIME entity brings its own MIME fields after Content-Type (transfer encoding, smime.p7m disposition)
        assertThat(names.subList(16, names.size())).containsExactlyElementsOf(options.contains(DeliveryOption.ENCRYPT)
                ? List.of("Content-Transfer-Encoding", "Content-Disposition") : List.of());
        assertThat(names.subList(0, 16)).containsExactly("From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
                "x-de-mail-sender", "x-de-mail-chosen-recipient", "x-de-mail-confirmation-of-dispatch",
                "x-de-mail-confirmation-of-receipt", "x-de-mail-confirmation-of-retrieve", "x-de-mail-authoritative",
                "x-de-mail-private", "x-de-mail-private-id", "X-Amtsbote-Reference", "Content-Type");
        String messageId = "<" + deliveryId + "@kreis.de-mail.de>";
        assertThat(lines).contains("From: " + KREIS_ADDRESS, "To: " + KREIS_ADDRESS,
                "Message-ID: " + messageId, "MIME-Version: 1.0", "x-de-mail-sender: " + KREIS_ADDRESS,
                "x-de-mail-chosen-recipient: to=" + KREIS_ADDRESS, "x-de-mail-private-id: " + deliveryId,
                "X-Amtsbote-Reference: AZ 2026-0815");
        expectedOptionFields(options).forEach((field, value) -> assertThat(lines).contains(field + ": " + value));
        assertThat(lines.get(2)).startsWith("Subject: =?UTF-8?");
        assertThat(lines.get(15)).startsWith(options.contains(DeliveryOption.ENCRYPT)
                ? "Content-Type: application/pkcs7-mime" : "Content-Type: multipart/mixed");
        assertThat(mail.mailFrom()).isEqualTo(KREIS_ADDRESS);
        assertThat(mail.rcptTo()).isEqualTo(KREIS_ADDRESS);
        assertThat(result.transportReference()).isEqualTo(messageId);
        assertThat(mail.text()).doesNotContain("\n\n").doesNotContain("\r\r");
    }

    @Test
    void logsInWithTheGatewaysTlsKeyFromTheVault() throws Exception {
        world.adapter.dispatch(envelope("d-login", KREIS, KREIS_ADDRESS, ERIKA, Set.of()));

        ProviderSmtp.Received mail = world.smtp.received.get(world.smtp.received.size() - 1);
        assertThat(mail.clientCertificate()).contains("CN=gateway");
    }

    @Test
    void remembersTheHashOfExactlyTheBodyThatArrivedBeforeSending() throws Exception {
        world.adapter.dispatch(envelope("d-hash", KREIS, KREIS_ADDRESS, ERIKA, Set.of(DeliveryOption.DISPATCH_RECEIPT)));

        ProviderSmtp.Received mail = world.smtp.received.get(world.smtp.received.size() - 1);
        String text = mail.text();
        byte[] body = text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        SentDelivery sent = SentDelivery.decode(world.memory.recall(SentDelivery.key("d-hash")).orElseThrow());
        for (Algorithm a : SentDelivery.DIGESTS) {
            BodyHash h = new BodyHash(a);
            try (h) {
                h.write(body);
            }
            assertThat(sent.sentBodyWithHash(a, h.digest(a))).as(a.displayName()).isTrue();
        }
        assertThat(sent.messageId()).isEqualTo("<d-hash@kreis.de-mail.de>");
        assertThat(sent.recipient()).isEqualTo(ERIKA);
        assertThat(sent.sender()).isEqualTo(KREIS_ADDRESS);
        assertThat(sent.subject()).isEqualTo("Bescheid über Ihren Antrag");
    }

    @Test
    void aBusyProviderIsTransientWithItsWords() {
        world.smtp.reply("MAIL", "451 4.3.0 provider busy");

        assertThatThrownBy(() -> world.adapter.dispatch(envelope("d-busy", KREIS, KREIS_ADDRESS, ERIKA, Set.of())))
                .isInstanceOf(TransientTransportException.class).hasMessageContaining("451 4.3.0 provider busy")
                .hasMessageContaining("MAIL FROM");
    }

    @Test
    void aRefusalAtTheEndOfDataIsPermanentWithTheProvidersWords() {
        world.smtp.reply("END", "554 5.7.1 retrieve=yes from an account that is not a public body");

        assertThatThrownBy(() -> world.adapter.dispatch(envelope("d-refused", KREIS, KREIS_ADDRESS, ERIKA,
                Set.of(DeliveryOption.RETRIEVAL_RECEIPT))))
                .isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("554 5.7.1 retrieve=yes from an account that is not a public body");
    }

    @Test
    void anUnknownRecipientDomainAtRcptIsPermanent() {
        world.smtp.reply("RCPT", "553 5.1.3 not a De-Mail domain");

        assertThatThrownBy(() -> world.adapter.dispatch(envelope("d-rcpt", KREIS, KREIS_ADDRESS, ERIKA, Set.of())))
                .isInstanceOf(PermanentTransportException.class).hasMessageContaining("553 5.1.3");
    }

    @Test
    void aCertificateWithoutAccountIsTransientAndNamesTheClientCertificate() {
        world.smtp.reply("MAIL", "530 5.7.0 no account for this certificate");

        assertThatThrownBy(() -> world.adapter.dispatch(envelope("d-530", KREIS, KREIS_ADDRESS, ERIKA, Set.of())))
                .isInstanceOf(TransientTransportException.class).hasMessageContaining("client certificate")
                .hasMessageContaining("530 5.7.0");
    }

    @Test
    void aClientCertificateTheProviderDoesNotTrustIsTransientAndNamedForTheOperator() throws Exception {
        CertificateAuthority otherClientCa = CertificateAuthority.root("Other Client CA", KeySpec.ec("P-256"),
                Clock.systemUTC());
        IssuedCertificate tls = world.root.issue(IssueRequest.named("smtp.dmda-a.de-mail.de")
                .profile(CertificateProfile.TLS_SERVER).key(KeySpec.ec("P-256")).ip("127.0.0.1"));
        try (ProviderSmtp strict = new ProviderSmtp(tls.certificate(), tls.privateKey(), otherClientCa.certificate())) {
            DeMailAdapter adapter = world.submittingTo(strict.port());

            assertThatThrownBy(() -> adapter.dispatch(envelope("d-tls", KREIS, KREIS_ADDRESS, ERIKA, Set.of())))
                    .isInstanceOf(TransientTransportException.class)
                    .hasMessageContaining("client certificate").hasMessageContaining("'gateway'");
            assertThat(strict.received).isEmpty();
            adapter.close();
        }
    }

    @Test
    void aProviderThatIsDownIsTransient() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DeMailAdapter adapter = world.submittingTo(port);
        assertThatThrownBy(() -> adapter.dispatch(envelope("d-down", KREIS, KREIS_ADDRESS, ERIKA, Set.of())))
                .isInstanceOf(TransientTransportException.class).hasMessageContaining("cannot connect");
        adapter.close();
    }

    @Test
    void encryptionWithoutAKnownCertificateIsRefusedBeforeAnythingIsSent() {
        int before = world.smtp.received.size();
        assertThatThrownBy(() -> world.adapter.dispatch(envelope("d-nocert", KREIS, KREIS_ADDRESS, ERIKA,
                Set.of(DeliveryOption.ENCRYPT)))).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("no encryption certificate");
        assertThat(world.smtp.received).hasSize(before);
    }
}
