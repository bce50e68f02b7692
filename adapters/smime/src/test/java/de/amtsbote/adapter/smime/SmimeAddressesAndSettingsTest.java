package de.amtsbote.adapter.smime;

import de.amtsbote.adapter.mail.MailAddresses;
import de.amtsbote.adapter.mail.MailSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.spi.AddressCheck;
import de.amtsbote.spi.ChannelAdapterProvider;
import de.amtsbote.spi.ChannelSettings;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The channel's address syntax (RFC 5321 mailboxes, no I/O) and its configuration, as the gateway reads them. */
class SmimeAddressesAndSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "poststelle@Bad-Vilbel.EXAMPLE, poststelle@bad-vilbel.example",
        "Max.Mustermann@example.org, Max.Mustermann@example.org",
        "a+tag@xn--mnchen-3ya.example, a+tag@xn--mnchen-3ya.example"})
    void normalisesTheDomainToLowerCase(String address, String normal) {
        AddressCheck check = new SmimeAdapter(SmimeSettings.from(new ChannelSettings("smime", Map.of())))
                .checkAddress(address);
        assertThat(check.isValid()).as(check.problem()).isTrue();
        assertThat(check.normalized()).isEqualTo(normal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Poststelle <poststelle@example.org>", "poststelle", "@example.org", "a@localhost",
        "a..b@example.org", ".a@example.org", "a@-x.example", "a@[127.0.0.1]", "a@exämple.org", "\"a b\"@example.org",
        "a@example.org\r\nBcc: x@example.org"})
    void refusesWhatIsNotAPlainMailbox(String address) {
        assertThat(MailAddresses.check(address).isValid()).isFalse();
    }

    @Test
    void refusesLocalPartsOver64AndAddressesOver254Characters() {
        assertThat(MailAddresses.check("a".repeat(65) + "@example.org").problem()).contains("64");
        assertThat(MailAddresses.check("a@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "."
                + "e".repeat(60) + ".f.g.h.i.j.example").problem()).contains("254");
    }

    @Test
    void readsDefaultsForAnInboundOnlyChannel() {
        SmimeSettings s = SmimeSettings.from(new ChannelSettings("smime", Map.of()));
        assertThat(s.relayIfConfigured()).isEmpty();
        assertThat(s.listener().host()).isEqualTo("127.0.0.1");
        assertThat(s.listener().port()).isEqualTo(2525);
        assertThat(s.maxMessageBytes()).isEqualTo(50L << 20);
        assertThat(s.requireSignature()).isTrue();
        assertThat(s.receiptWindow()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void readsARelayAndSeveralMailboxes() {
        SmimeSettings s = SmimeSettings.from(new ChannelSettings("smime", Map.of("relay.host", "mail.kreis.example",
                "relay.tls", "implicit", "imap.a.host", "imap.example", "imap.a.user", "a", "imap.a.password-env",
                "A_PW", "imap.b.host", "imap.example", "imap.b.user", "b", "imap.b.password-file", "/run/b",
                "imap.b.processed", "move:Archiv")));
        assertThat(s.relay().peer()).isEqualTo("mail.kreis.example:465");
        assertThat(s.mailboxes()).extracting(MailSettings.Mailbox::name).containsExactly("a", "b");
        assertThat(s.mailboxes().get(0).port()).isEqualTo(993);
        assertThat(s.mailboxes().get(1).processed()).isEqualTo(MailSettings.Processed.MOVE);
        assertThat(s.mailboxes().get(1).moveTo()).isEqualTo("Archiv");
    }

    @Test
    void namesTheBadSetting() {
        assertThatThrownBy(() -> SmimeSettings.from(new ChannelSettings("smime", Map.of("relay.host", "m.example",
                "relay.tls", "sometimes")))).hasMessageContaining("amtsbote.channels.smime.relay.tls");
        assertThatThrownBy(() -> SmimeSettings.from(new ChannelSettings("smime", Map.of("relay.host", "m.example",
                "relay.user", "gw")))).hasMessageContaining("relay.password-file");
        assertThatThrownBy(() -> SmimeSettings.from(new ChannelSettings("smime", Map.of("imap.x.host", "i.example"))))
                .hasMessageContaining("amtsbote.channels.smime.imap.x.user");
        assertThatThrownBy(() -> SmimeSettings.from(new ChannelSettings("smime", Map.of("max-message-size", "3GB"))))
                .hasMessageContaining("max-message-size");
    }

    @Test
    void isFoundThroughServiceLoaderAsTheSmimeChannel() {
        assertThat(ServiceLoader.load(ChannelAdapterProvider.class).stream().map(ServiceLoader.Provider::get)
                .map(ChannelAdapterProvider::channel)).contains("smime");
    }

    @Test
    void sanitisesFileNamesWithoutDirectoriesOrBidiTricks() {
        assertThat(InboundProcessor.sanitizedFileName("../../etc/passwd", 1)).isEqualTo("passwd");
        assertThat(InboundProcessor.sanitizedFileName("C:\\Users\\x\\rechnung.pdf", 1)).isEqualTo("rechnung.pdf");
        assertThat(InboundProcessor.sanitizedFileName("rechnung\u202Efdp.exe", 1)).isEqualTo("rechnung_fdp.exe");
        assertThat(InboundProcessor.sanitizedFileName("...", 3)).isEqualTo("part-3");
        assertThat(InboundProcessor.sanitizedFileName("a".repeat(300) + ".pdf", 1)).hasSize(255).endsWith(".pdf");
    }
}
