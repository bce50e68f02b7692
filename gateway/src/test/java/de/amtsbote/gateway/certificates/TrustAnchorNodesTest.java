package de.amtsbote.gateway.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.console.trust.TrustGateway;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.PartyDirectory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Every holder of the validator sees a change of the trust anchors without a restart, and so does another node on the
 * same database: a second validator built the way the gateway builds its own, told nothing but the database. On
 * H2 here, on PostgreSQL in {@link PostgresTrustAnchorNodesTest}.
 */
class TrustAnchorNodesTest extends TrustGateway {

    @Autowired
    ApplicationContext context;
    @Autowired
    CertificateValidator validator;
    @Autowired
    CryptoAccess crypto;
    @Autowired
    PartyDirectory directory;
    @Autowired
    TrustAnchors anchors;
    @Autowired
    CryptoProperties properties;
    @Autowired
    AlgorithmPolicy policy;
    @Autowired
    Clock clock;
    @Autowired
    ConfiguredTrustAnchors configured;
    @Autowired
    DataSource dataSource;

    @Test
    void everyHolderOfTheValidatorHoldsTheOneReloadableValidator() {
        Map<String, CertificateValidator> beans = context.getBeansOfType(CertificateValidator.class);
        assertThat(beans).hasSize(1);
        assertThat(validator).isInstanceOf(ReloadableCertificateValidator.class);
        assertThat(crypto.crypto().orElseThrow().validator()).as("the crypto door, which the channels get")
                .isSameAs(validator);
        assertThat(ReflectionTestUtils.getField(directory, "validator")).as("the party directory").isSameAs(validator);
    }

    @Test
    void thePartyDirectoryLearnsACertificateOnlyWhileItsCaIsTrusted() {
        Stranger stranger = Stranger.create("Lernende CA");
        ChannelAddress from = ChannelAddress.parse("smime:" + stranger.address());
        directory.offer(from, stranger.partnerChain());
        assertThat(directory.encryptionCertificates(from)).as("unknown CA: not learned").isEmpty();

        anchors.add(stranger.rootPem(), "test", "test", TrustAnchor.Via.API, a -> { });
        directory.offer(from, stranger.partnerChain());

        assertThat(directory.encryptionCertificates(from)).containsExactly(stranger.partner());
        anchors.remove(stranger.fingerprint(), "test", "test", TrustAnchor.Via.API, a -> { });
    }

    @Test
    void anotherNodeNoticesAChangeWithinItsCheckIntervalWithoutBeingTold() {
        Stranger stranger = Stranger.create("Anderer Knoten CA");
        ReloadableCertificateValidator otherNode = otherNode(jdbc, Duration.ofMillis(200));
        assertThat(stranger.validateWith(otherNode).reason()).isEqualTo(ValidationResult.Reason.UNKNOWN_CA);

        anchors.add(stranger.rootPem(), "auf Knoten 1", "test", TrustAnchor.Via.API, a -> { });

        await("the other node trusts the added CA", Duration.ofSeconds(5),
                () -> stranger.validateWith(otherNode).valid());

        anchors.remove(stranger.fingerprint(), "auf Knoten 1 entfernt", "test", TrustAnchor.Via.API, a -> { });

        await("the other node no longer trusts the removed CA", Duration.ofSeconds(5),
                () -> stranger.validateWith(otherNode).reason() == ValidationResult.Reason.UNKNOWN_CA);
    }

    @Test
    void aNodeLooksAtTheDatabaseAtMostOncePerCheckInterval() {
        Stranger stranger = Stranger.create("Intervall CA");
        ReloadableCertificateValidator otherNode = otherNode(jdbc, Duration.ofHours(1));
        long generation = otherNode.generation();

        anchors.add(stranger.rootPem(), "test", "test", TrustAnchor.Via.API, a -> { });

        assertThat(stranger.validateWith(otherNode).reason()).as("within the hour it does not look")
                .isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
        assertThat(otherNode.generation()).isEqualTo(generation);
        otherNode.reload();
        assertThat(stranger.validateWith(otherNode).valid()).isTrue();
        assertThat(otherNode.generation()).isGreaterThan(generation);
        anchors.remove(stranger.fingerprint(), "test", "test", TrustAnchor.Via.API, a -> { });
    }

    @Test
    void whileTheDatabaseCannotBeReadTheLastAnchorsStayInUse() {
        Stranger stranger = Stranger.create("Datenbank weg CA");
        anchors.add(stranger.rootPem(), "test", "test", TrustAnchor.Via.API, a -> { });
        Switchable db = new Switchable(dataSource);
        ReloadableCertificateValidator otherNode = otherNode(JdbcClient.create(db), Duration.ZERO);
        assertThat(stranger.validateWith(otherNode).valid()).isTrue();

        db.up = false;
        assertThat(stranger.validateWith(otherNode).valid()).as("the database is down: last known anchors").isTrue();
        assertThat(configuredCa(otherNode)).isNotEqualTo(ValidationResult.Reason.UNKNOWN_CA);

        db.up = true;
        anchors.remove(stranger.fingerprint(), "test", "test", TrustAnchor.Via.API, a -> { });
        assertThat(stranger.validateWith(otherNode).reason()).as("back: it looks again at once")
                .isEqualTo(ValidationResult.Reason.UNKNOWN_CA);
    }

    @Test
    void twoNodesAddingTheSameCaAtOnceMakeOneAnchor() throws Exception {
        Stranger stranger = Stranger.create("Gleichzeitig CA");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String node = "node-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        anchors.add(stranger.rootPem(), "race", node, TrustAnchor.Via.API, a -> { });
                        return "added";
                    } catch (TrustAnchorException e) {
                        return e.kind().name();
                    }
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : results) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(outcomes).containsExactlyInAnyOrder("added", "ALREADY_TRUSTED");
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows("select count(*) from trust_anchor where active_fingerprint = '" + stranger.fingerprint()
                + "'")).isEqualTo(1);
        anchors.remove(stranger.fingerprint(), "test", "test", TrustAnchor.Via.API, a -> { });
    }

    private ValidationResult.Reason configuredCa(CertificateValidator v) {
        return v.validate(CA.certificate(), List.of(),
                de.amtsbote.crypto.validation.CertificateUsage.MESSAGE_SIGNATURE, clock.instant()).reason();
    }

    private ReloadableCertificateValidator otherNode(JdbcClient database, Duration checkInterval) {
        CryptoProperties p = properties;
        CryptoProperties other = new CryptoProperties(p.keyStore(), p.trustAnchors(), p.revocation(),
                p.refuseLegacyInbound(), p.peerExceptions(), p.learnPartnerCertificates(), checkInterval);
        return CryptoConfiguration.validator(other, policy, clock, configured, new TrustAnchorStore(database));
    }

    /** A data source that can be switched off, as a database that stopped answering. */
    private static final class Switchable extends DelegatingDataSource {
        volatile boolean up = true;

        Switchable(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (!up) {
                throw new SQLException("connection refused (switched off by the test)");
            }
            return super.getConnection();
        }
    }
}
