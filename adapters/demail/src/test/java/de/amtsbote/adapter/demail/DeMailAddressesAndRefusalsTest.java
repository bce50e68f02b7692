package de.amtsbote.adapter.demail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelSettings;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.RouteRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** De-Mail address rules (wire contract section 1), the channel's refusals at routing, and its settings. */
class DeMailAddressesAndRefusalsTest {

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

    private static String problem(String address) {
        return world.adapter.checkAddress(address).problem();
    }

    @Test
    void acceptsAddressesOnDeMailDomains() {
        assertThat(world.adapter.checkAddress("erika.mustermann@dmda-a.de-mail.de").normalized())
                .isEqualTo("erika.mustermann@dmda-a.de-mail.de");
        assertThat(world.adapter.checkAddress("poststelle@standort_a.institution.de-mail.de").isValid()).isFalse();
        assertThat(world.adapter.checkAddress("poststelle@institution.de-mail.de").isValid()).isTrue();
        assertThat(world.adapter.checkAddress("pn_einwohner@dmda-a.de-mail.de").isValid()).isTrue();
    }

    @Test
    void refusesUpperCaseInsteadOfFoldingIt() {
        assertThat(problem("Erika.Mustermann@dmda-a.de-mail.de")).contains("lower case")
                .contains("erika.mustermann@dmda-a.de-mail.de");
    }

    @Test
    void refusesDomainsThatAreNotDeMail() {
        assertThat(problem("erika@example.org")).contains("example.org is not a De-Mail domain");
        assertThat(problem("erika@notde-mail.de")).contains("is not a De-Mail domain");
    }

    @Test
    void acceptsConfiguredProviderDomains() {
        DeMailAdapter adapter = (DeMailAdapter) new DeMailAdapterProvider().create(new ChannelSettings("demail",
                Map.of("domains", "dmda.example, post.example")));
        assertThat(adapter.checkAddress("erika@dmda.example").isValid()).isTrue();
        assertThat(adapter.checkAddress("erika@sub.post.example").isValid()).isTrue();
    }

    @Test
    void refusesSystemAddressesAsRecipientsWhateverTheirCase() {
        assertThat(problem("meldung@dmda-a.de-mail.de")).contains("system address");
        assertThat(problem("abholbestaetigung@dmda-a.de-mail.de")).contains("cannot be a recipient");
    }

    @Test
    void refusesTooLongPartsAndDottedPseudonyms() {
        assertThat(problem("a".repeat(65) + "@dmda-a.de-mail.de")).contains("64");
        String longDomain = ("x".repeat(60) + ".").repeat(3) + "de-mail.de";
        assertThat(problem("a@" + longDomain)).contains("189");
        assertThat(problem("pn_ein.wohner@dmda-a.de-mail.de")).contains("pseudonym");
    }

    @Test
    void theAbholbestaetigungIsReservedToPublicBodies() {
        ChannelAddress erika = new ChannelAddress("demail", DeMailWorld.ERIKA);
        assertThat(world.adapter.refusal(new RouteRequest("verein", false, erika,
                Set.of(DeliveryOption.RETRIEVAL_RECEIPT)))).hasValueSatisfying(r ->
                assertThat(r).contains("Abholbestätigung (retrieval receipt) may be asked only by public bodies"));
        assertThat(world.adapter.refusal(new RouteRequest(DeMailWorld.KREIS, true, erika,
                Set.of(DeliveryOption.RETRIEVAL_RECEIPT)))).isEmpty();
    }

    @Test
    void absenderbestaetigtCannotBeSentFromAPseudonym() {
        ChannelAddress erika = new ChannelAddress("demail", DeMailWorld.ERIKA);
        assertThat(world.adapter.refusal(new RouteRequest("pseudonymous", true, erika, Set.of(DeliveryOption.SIGN))))
                .hasValueSatisfying(r -> assertThat(r).contains("pseudonym address " + DeMailWorld.PSEUDONYM));
        assertThat(world.adapter.refusal(new RouteRequest("pseudonymous", true, erika,
                Set.of(DeliveryOption.DELIVERY_RECEIPT)))).isEmpty();
    }

    @Test
    void describesAllSixOptionsAndTheTwentyMebibyteDefault() {
        assertThat(world.adapter.describe().options()).containsExactlyInAnyOrder(DeliveryOption.values());
        assertThat(world.adapter.describe().maxMessageBytes()).isEqualTo(20L << 20);
        assertThat(world.adapter.describe().channel()).isEqualTo("demail");
    }

    @Test
    void isFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(de.amtsbote.spi.ChannelAdapterProvider.class).stream()
                .map(p -> p.get().channel())).contains("demail");
    }

    @Test
    void badSettingsFailAtStartUpNamingTheKey() {
        assertThatThrownBy(() -> new DeMailAdapterProvider().create(new ChannelSettings("demail",
                Map.of("submission.host", "p.example", "submission.tls", "none"))))
                .hasMessageContaining("amtsbote.channels.demail.submission.tls");
        assertThatThrownBy(() -> new DeMailAdapterProvider().create(new ChannelSettings("demail",
                Map.of("provider-trust-pem", dir.resolve("missing.pem").toString()))))
                .hasMessageContaining("amtsbote.channels.demail.provider-trust-pem");
        assertThatThrownBy(() -> new DeMailAdapterProvider().create(new ChannelSettings("demail",
                Map.of("domains", "Post.Example"))))
                .hasMessageContaining("amtsbote.channels.demail.domains");
    }
}
