package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.console.BarChart;
import de.amtsbote.gateway.delivery.DeliveryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The last 24 hours at a glance: where the deliveries of the messages accepted since then stand now, and how many
 * messages were accepted and how many deliveries failed in each hour. Each figure is one indexed query
 * ({@code message_accepted}, {@code delivery_state_time}); hours are counted by the database, not by reading rows.
 */
@Component
class MessageActivity {

    static final int HOURS = 24;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final MessageSource texts;

    MessageActivity(JdbcClient jdbc, Clock clock, MessageSource texts) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.texts = texts;
    }

    Activity last24Hours(Locale locale) {
        Instant now = clock.instant();
        // the current hour is the last bar; the first bar is the hour 23 hours before it
        Instant first = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        List<Instant> bounds = new ArrayList<>();
        for (int h = 0; h <= HOURS; h++) {
            bounds.add(first.plus(Duration.ofHours(h)));
        }
        long[] accepted = perHour("message", "accepted_at", null, bounds);
        long[] failed = perHour("delivery", "updated_at", DeliveryState.FAILED, bounds);
        List<BarChart.Bar> bars = new ArrayList<>();
        for (int h = 0; h < HOURS; h++) {
            bars.add(new BarChart.Bar(HOUR.format(bounds.get(h).atZone(Times.ZONE)), List.of(accepted[h], failed[h])));
        }
        BarChart chart = new BarChart(text("messages.activity.chart", locale), List.of(
                new BarChart.Series(text("messages.activity.accepted", locale), "ok"),
                new BarChart.Series(text("messages.activity.failed", locale), "bad")), bars);
        return new Activity(states(now.minus(Duration.ofHours(HOURS))), chart);
    }

    /** How many deliveries of the messages accepted since {@code since} are in each state now. */
    private Map<DeliveryState, Long> states(Instant since) {
        Map<DeliveryState, Long> counts = new EnumMap<>(DeliveryState.class);
        for (DeliveryState s : DeliveryState.values()) {
            counts.put(s, 0L);
        }
        jdbc.sql("""
                select d.state, count(*) as n from delivery d join message m on m.id = d.message_id
                where m.accepted_at >= :since group by d.state
                """)
                .param("since", utc(since))
                .query((rs, i) -> Map.entry(DeliveryState.valueOf(rs.getString("state")), rs.getLong("n")))
                .list()
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /**
     * Rows per hour in one statement: {@code sum(case when t >= :b0 and t < :b1 …)} for each hour, over the index range
     * of the whole day. Plain SQL that PostgreSQL and H2 run alike (no date functions, no time zone of the session).
     */
    private long[] perHour(String table, String column, DeliveryState state, List<Instant> bounds) {
        StringBuilder sql = new StringBuilder("select ");
        for (int h = 0; h < HOURS; h++) {
            sql.append(h == 0 ? "" : ", ").append("coalesce(sum(case when ").append(column).append(" >= :b").append(h)
                    .append(" and ").append(column).append(" < :b").append(h + 1).append(" then 1 else 0 end), 0) as h")
                    .append(h);
        }
        sql.append(" from ").append(table).append(" where ").append(column).append(" >= :b0 and ").append(column)
                .append(" < :b").append(HOURS);
        if (state != null) {
            sql.append(" and state = :state");
        }
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString());
        for (int h = 0; h <= HOURS; h++) {
            statement = statement.param("b" + h, utc(bounds.get(h)));
        }
        if (state != null) {
            statement = statement.param("state", state.name());
        }
        return statement.query((rs, i) -> {
            long[] counts = new long[HOURS];
            for (int h = 0; h < HOURS; h++) {
                counts[h] = rs.getLong("h" + h);
            }
            return counts;
        }).single();
    }

    private String text(String key, Locale locale) {
        return texts.getMessage(key, null, locale);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * @param states deliveries of the last 24 hours' messages by their current state (every state, zeros included)
     * @param chart  accepted messages and failed deliveries per hour
     */
    record Activity(Map<DeliveryState, Long> states, BarChart chart) {

        public long total() {
            return states.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The states with deliveries in them, for the panel's table. */
        public List<StateCount> counts() {
            return states.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> new StateCount(e.getKey(), e.getValue())).toList();
        }
    }

    /** A state and how many deliveries are in it. */
    record StateCount(DeliveryState state, long count) {
        public String css() {
            return StateStyle.of(state);
        }
    }
}
