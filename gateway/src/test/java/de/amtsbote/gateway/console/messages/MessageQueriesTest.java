package de.amtsbote.gateway.console.messages;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.outbox.Outbox;
import de.amtsbote.gateway.outbox.WorkKind;
import de.amtsbote.gateway.support.NodeIdentity;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The console's own SQL (search with every filter and keyset paging, the hourly activity, the outbox's lock and
 * advance) on both databases the gateway runs on: the embedded H2 in PostgreSQL mode and PostgreSQL, each migrated by
 * the gateway's Flyway scripts, with rows written directly.
 */
class MessageQueriesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:30:00Z");

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private static JdbcClient database(String kind) {
        return JdbcClient.create(migrated(kind));
    }

    /** A new, empty database of the kind, migrated by the gateway's scripts. */
    private static DriverManagerDataSource migrated(String kind) {
        TestDatabases.Database db = kind.equals("h2")
                ? TestDatabases.h2(Fleet.temporaryDirectory("amtsbote-console-queries-"))
                : TestDatabases.freshPostgres();
        DriverManagerDataSource ds = new DriverManagerDataSource(db.url(), db.user(), db.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    private static void message(JdbcClient jdbc, String id, String sender, String reference, Instant accepted,
                                String... recipientsAndStates) {
        jdbc.sql("insert into content (id, size, sha256, created_at) values (:id, 1, 'x', :at)")
                .param("id", "c-" + id).param("at", accepted.atOffset(ZoneOffset.UTC)).update();
        jdbc.sql("""
                insert into message (id, client_id, idempotency_key, fingerprint, sender, subject, reference,
                                     body_content_id, options, content_digest, total_bytes, accepted_at)
                values (:id, 'client', :id, 'f', :sender, :subject, :reference, :body, '', 'd', 1, :at)
                """)
                .param("id", id).param("sender", sender).param("subject", "Betreff " + id).param("reference", reference)
                .param("body", "c-" + id).param("at", accepted.atOffset(ZoneOffset.UTC)).update();
        for (int i = 0; i < recipientsAndStates.length; i += 2) {
            jdbc.sql("""
                    insert into delivery (id, message_id, position, recipient, channel, address, sender_address, peer,
                                          state, attempts, evidence_head, updated_at)
                    values (:id, :message, :position, :recipient, 'loopback', :address, 'loopback:a@b', 'peer',
                            :state, 0, 'h', :at)
                    """)
                    .param("id", id + "-d" + i / 2).param("message", id).param("position", i / 2)
                    .param("recipient", recipientsAndStates[i])
                    .param("address", recipientsAndStates[i].replace("participant:", "") + "@loopback.example")
                    .param("state", recipientsAndStates[i + 1]).param("at", accepted.plusSeconds(5)
                            .atOffset(ZoneOffset.UTC)).update();
        }
    }

    private static SearchFilter filter(String reference, String recipient, String state, String sender, String from,
                                       String to, String before, String after) {
        SearchFilter.Parsed p = SearchFilter.parse(reference, recipient, state, sender, from, to, before, after);
        assertThat(p.errors()).isEmpty();
        return p.filter();
    }

    private static List<String> ids(MessageSearch.Page page) {
        return page.rows().stream().map(MessageSearch.Row::id).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void searchFiltersAndPagesAlikeOnBothDatabases(String kind) {
        JdbcClient jdbc = database(kind);
        message(jdbc, "m1", "stadt-a", "AZ 100_Hund", NOW.minus(Duration.ofHours(30)),
                "participant:kreis", "DELIVERED");
        message(jdbc, "m2", "stadt-b", "az 100xHund", NOW.minus(Duration.ofHours(3)),
                "participant:kreis", "FAILED", "loopback:buergerbuero@x", "DELIVERED");
        message(jdbc, "m3", "stadt-a", null, NOW.minus(Duration.ofMinutes(10)), "participant:land", "RETRY_WAIT");
        MessageSearch search = new MessageSearch(jdbc);

        assertThat(ids(search.search(filter(null, null, null, null, null, null, null, null))))
                .containsExactly("m3", "m2", "m1");
        assertThat(ids(search.search(filter("100_", null, null, null, null, null, null, null))))
                .as("case-insensitive, _ literal").containsExactly("m1");
        assertThat(ids(search.search(filter("HUND", null, null, null, null, null, null, null))))
                .containsExactly("m2", "m1");
        assertThat(ids(search.search(filter("%", null, null, null, null, null, null, null)))).isEmpty();
        assertThat(ids(search.search(filter(null, "BUERGER", null, null, null, null, null, null))))
                .containsExactly("m2");
        assertThat(ids(search.search(filter(null, "kreis", "FAILED", null, null, null, null, null))))
                .containsExactly("m2");
        assertThat(ids(search.search(filter(null, null, null, "stadt-a", null, null, null, null))))
                .containsExactly("m3", "m1");
        LocalDate day = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        assertThat(ids(search.search(filter(null, null, null, null, day.toString(), day.toString(), null, null))))
                .containsExactly("m3", "m2");
        assertThat(ids(search.search(filter(null, null, null, null, null, day.minusDays(1).toString(), null, null))))
                .containsExactly("m1");

        MessageSearch.Page older = search.search(filter(null, null, null, null, null, null, "m3", null));
        assertThat(ids(older)).containsExactly("m2", "m1");
        assertThat(older.newer()).isEqualTo("m2");
        assertThat(older.older()).isNull();
        MessageSearch.Page newer = search.search(filter(null, null, null, null, null, null, null, "m1"));
        assertThat(ids(newer)).containsExactly("m3", "m2");
        assertThat(newer.older()).isEqualTo("m2");
        assertThat(newer.newer()).isNull();
        assertThat(search.search(filter(null, null, null, null, null, null, null, null)).rows().get(1).deliveries())
                .extracting(MessageSearch.Badge::state).containsExactly(DeliveryState.FAILED, DeliveryState.DELIVERED);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void activityCountsEachHourAlikeOnBothDatabases(String kind) {
        JdbcClient jdbc = database(kind);
        message(jdbc, "old", "stadt-a", "x", NOW.minus(Duration.ofHours(25)), "participant:kreis", "FAILED");
        message(jdbc, "h1", "stadt-a", "x", NOW.minus(Duration.ofHours(2)), "participant:kreis", "FAILED",
                "participant:land", "DELIVERED");
        message(jdbc, "h2", "stadt-a", "x", NOW.minus(Duration.ofMinutes(20)), "participant:kreis", "DELIVERED");
        message(jdbc, "h3", "stadt-a", "x", NOW.minus(Duration.ofMinutes(25)), "participant:kreis", "RETRY_WAIT");
        ResourceBundleMessageSource texts = new ResourceBundleMessageSource();
        texts.setBasenames("i18n/console-messages");
        texts.setDefaultEncoding("UTF-8");
        texts.setFallbackToSystemLocale(false); // as the gateway: German is the default bundle

        MessageActivity.Activity a = new MessageActivity(jdbc, Clock.fixed(NOW, ZoneOffset.UTC), texts)
                .last24Hours(Locale.GERMAN);

        assertThat(a.states()).containsEntry(DeliveryState.DELIVERED, 2L).containsEntry(DeliveryState.FAILED, 1L)
                .containsEntry(DeliveryState.RETRY_WAIT, 1L).containsEntry(DeliveryState.SENT, 0L);
        assertThat(a.chart().bars()).hasSize(24);
        // the last bar is the current hour (10:00 UTC = 11:00 in Berlin), two hours earlier is 08:xx UTC
        assertThat(a.chart().bars().get(23).label()).isEqualTo("11:00");
        assertThat(a.chart().bars().get(23).values()).containsExactly(2L, 0L);
        assertThat(a.chart().bars().get(21).values()).containsExactly(1L, 1L);
        assertThat(a.chart().bars().stream().mapToLong(b -> b.values().get(0)).sum()).isEqualTo(3);
        assertThat(a.chart().caption()).startsWith("Angenommene Nachrichten");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void outboxWorkIsLockedAndMadeDueOnlyWhenNoNodeHoldsIt(String kind) throws Exception {
        DriverManagerDataSource ds = migrated(kind);
        JdbcClient jdbc = JdbcClient.create(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Outbox outbox = new Outbox(jdbc, tx, clock, new NodeIdentity("node-a"), ds);
        Instant later = NOW.plus(Duration.ofDays(1));
        tx.executeWithoutResult(s -> {
            outbox.schedule(WorkKind.DISPATCH, "free", later);
            outbox.schedule(WorkKind.DISPATCH, "held", NOW.minusSeconds(1));
        });
        assertThat(outbox.claim(10, Duration.ofMinutes(1))).singleElement()
                .satisfies(w -> assertThat(w.subjectId()).isEqualTo("held"));

        tx.executeWithoutResult(s -> {
            assertThat(outbox.lock(WorkKind.DISPATCH, "free")).hasValueSatisfying(w -> {
                assertThat(w.due()).isEqualTo(later);
                assertThat(w.heldAt(NOW)).isFalse();
            });
            assertThat(outbox.lock(WorkKind.DISPATCH, "held")).hasValueSatisfying(w -> {
                assertThat(w.leaseOwner()).isEqualTo("node-a");
                assertThat(w.heldAt(NOW)).isTrue();
            });
            assertThat(outbox.lock(WorkKind.DISPATCH, "none")).isEmpty();
            assertThat(outbox.advance(WorkKind.DISPATCH, "free", NOW)).isTrue();
            assertThat(outbox.advance(WorkKind.DISPATCH, "held", NOW)).as("a node holds it").isFalse();
        });
        assertThat(outbox.waiting()).isEqualTo(1);
    }
}
