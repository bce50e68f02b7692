package de.amtsbote.gateway.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.AmtsboteGateway;
import de.amtsbote.gateway.console.trust.TrustGateway;
import de.amtsbote.gateway.testing.ConsoleSession;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * A second gateway node in this JVM on the same database, configured with a key store but without any configured
 * trust anchor. It starts because the database holds an anchor a security officer added (the start rule: configured
 * or added anchors), and it follows what is added and removed in the first node's console without a restart. A new
 * installation with a key store and no anchor at all still does not start.
 */
class SecondGatewayNodeTest extends TrustGateway {

    private static final String PAGE = "/console/certificates/trust";

    @Autowired
    Environment environment;

    @Test
    void aSecondNodeStartsOnAnchorsAddedAtRunTimeAndFollowsTheFirstNodesConsole() throws Exception {
        ConsoleSession officer = session(OFFICER);
        Stranger seed = Stranger.create("Startanker CA");
        officer.get(PAGE);
        assertThat(officer.post(PAGE, Map.of("pem", seed.rootPem(), "reason", "Knoten B")).statusCode()).isEqualTo(302);

        Path nodeA = Path.of(environment.getRequiredProperty("amtsbote.storage.directory"));
        try (ConfigurableApplicationContext nodeB = start(nodeA, seed.root())) {
            CertificateValidator b = nodeB.getBean(CertificateValidator.class);
            assertThat(seed.validateWith(b).valid()).as("the anchor from the database").isTrue();
            assertThat(b.validate(CA.certificate(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, Instant.now())
                    .reason()).as("node B does not configure node A's file").isEqualTo(ValidationResult.Reason.UNKNOWN_CA);

            Stranger later = Stranger.create("Später aufgenommene CA");
            officer.get(PAGE);
            officer.post(PAGE, Map.of("pem", later.rootPem(), "reason", "auf Knoten A aufgenommen"));
            await("node B trusts what node A's console added", Duration.ofSeconds(10),
                    () -> later.validateWith(b).valid());

            officer.get(PAGE);
            officer.post(PAGE + "/" + later.fingerprint() + "/remove", Map.of("reason", "auf Knoten A entfernt"));
            await("node B stops trusting what node A's console removed", Duration.ofSeconds(10),
                    () -> later.validateWith(b).reason() == ValidationResult.Reason.UNKNOWN_CA);
        } finally {
            officer.get(PAGE);
            officer.post(PAGE + "/" + seed.fingerprint() + "/remove", Map.of("reason", "Test beendet"));
        }
    }

    @Test
    void aNewInstallationWithAKeyStoreAndNoTrustAnchorAtAllDoesNotStart() {
        Path fresh = Fleet.temporaryDirectory("amtsbote-trust-fresh-");
        assertThatThrownBy(() -> start(fresh, Stranger.create("Niemand CA").root()).close())
                .rootCause().hasMessageContaining("no trust anchor: amtsbote.crypto.trust-anchors is empty and no"
                        + " trust anchor was added at run time");
    }

    /** A gateway on the database under {@code storage}, with a key store whose evidence key {@code ca} certified. */
    private static ConfigurableApplicationContext start(Path storage, CertificateAuthority ca) throws Exception {
        Path world = Fleet.temporaryDirectory("amtsbote-trust-node-b-");
        TestVault vault = TestVault.createIn(world);
        try (KeyVault keys = vault.open()) {
            TestVault.certifyEvidenceKey(keys, ca, null);
        }
        Map<String, String> p = new HashMap<>(vault.properties());
        p.put("amtsbote.storage.directory", storage.toString());
        p.put("amtsbote.node-id", "trust-node-b");
        p.put("server.port", "0");
        p.put("amtsbote.crypto.revocation.soft-fail", "true");
        p.put("amtsbote.crypto.trust-anchor-check-interval", "300ms");
        // as command-line arguments: they must win over application.yml, as an installation's settings do
        return new SpringApplicationBuilder(AmtsboteGateway.class)
                .run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }
}
