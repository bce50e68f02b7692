package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.delivery.DeliveryState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The console's message search: filters on the message and its deliveries, newest first, one bounded page at a time
 * with keyset paging on {@code (accepted_at, id)} (the {@code message_accepted} index; {@code message_sender} for a
 * sender filter). Substring filters cannot use an index; they filter rows of that index scan and stop at a page.
 */
@Component
class MessageSearch {

    static final int PAGE = 50;

    private final JdbcClient jdbc;

    MessageSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of messages matching the filter, newest first. */
    Page search(SearchFilter f) {
        Optional<Cursor> before = f.before() == null ? Optional.empty() : cursor(f.before());
        Optional<Cursor> after = f.before() == null && f.after() != null ? cursor(f.after()) : Optional.empty();
        StringBuilder sql = new StringBuilder("select m.id, m.reference, m.subject, m.sender, m.accepted_at"
                + " from message m where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (f.reference() != null) {
            sql.append(" and lower(m.reference) like :reference escape '\\'");
            params.put("reference", contains(f.reference()));
        }
        if (f.sender() != null) {
            sql.append(" and m.sender = :sender");
            params.put("sender", f.sender());
        }
        if (f.from() != null) {
            sql.append(" and m.accepted_at >= :from");
            params.put("from", utc(f.fromInstant()));
        }
        if (f.to() != null) {
            sql.append(" and m.accepted_at < :to");
            params.put("to", utc(f.toInstant()));
        }
        if (f.recipient() != null) {
            sql.append(" and exists (select 1 from delivery r where r.message_id = m.id and"
                    + " (lower(r.recipient) like :recipient escape '\\' or lower(r.address) like :recipient escape '\\'))");
            params.put("recipient", contains(f.recipient()));
        }
        if (f.state() != null) {
            sql.append(" and exists (select 1 from delivery s where s.message_id = m.id and s.state = :state)");
            params.put("state", f.state().name());
        }
        boolean backwards = after.isPresent();
        Optional<Cursor> cursor = backwards ? after : before;
        cursor.ifPresent(c -> {
            sql.append(backwards
                    ? " and (m.accepted_at > :cursorAt or (m.accepted_at = :cursorAt and m.id > :cursorId))"
                    : " and (m.accepted_at < :cursorAt or (m.accepted_at = :cursorAt and m.id < :cursorId))");
            params.put("cursorAt", utc(c.acceptedAt()));
            params.put("cursorId", c.id());
        });
        sql.append(backwards ? " order by m.accepted_at asc, m.id asc" : " order by m.accepted_at desc, m.id desc");
        sql.append(" limit ").append(PAGE + 1);

        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString());
        for (Map.Entry<String, Object> p : params.entrySet()) {
            statement = statement.param(p.getKey(), p.getValue());
        }
        List<Row> rows = new ArrayList<>(statement.query((rs, i) -> new Row(rs.getString("id"),
                rs.getString("reference"), rs.getString("subject"), rs.getString("sender"),
                rs.getObject("accepted_at", OffsetDateTime.class).toInstant(), List.of())).list());
        boolean more = rows.size() > PAGE;
        if (more) {
            rows.remove(PAGE);
        }
        if (backwards) {
            java.util.Collections.reverse(rows);
        }
        List<Row> withDeliveries = withDeliveries(rows);
        boolean hasNewer = backwards ? more : before.isPresent();
        boolean hasOlder = backwards || more;
        return new Page(withDeliveries, hasNewer && !withDeliveries.isEmpty() ? withDeliveries.get(0).id() : null,
                hasOlder && !withDeliveries.isEmpty() ? withDeliveries.get(withDeliveries.size() - 1).id() : null);
    }

    private List<Row> withDeliveries(List<Row> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, List<Badge>> byMessage = new LinkedHashMap<>();
        jdbc.sql("""
                select message_id, recipient, state from delivery
                where message_id in (:ids) order by message_id, position
                """)
                .param("ids", rows.stream().map(Row::id).toList())
                .query((rs, i) -> Map.entry(rs.getString("message_id"),
                        new Badge(rs.getString("recipient"), DeliveryState.valueOf(rs.getString("state")))))
                .list()
                .forEach(e -> byMessage.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return rows.stream().map(r -> new Row(r.id(), r.reference(), r.subject(), r.sender(), r.acceptedAt(),
                byMessage.getOrDefault(r.id(), List.of()))).toList();
    }

    /** The position of a message in the newest-first order; empty for an unknown id (the list starts over). */
    private Optional<Cursor> cursor(String messageId) {
        return jdbc.sql("select id, accepted_at from message where id = :id").param("id", messageId)
                .query((rs, i) -> new Cursor(rs.getString("id"),
                        rs.getObject("accepted_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** A LIKE pattern for "contains", case-insensitive, with the user's % and _ taken literally. */
    static String contains(String text) {
        String escaped = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private record Cursor(String id, Instant acceptedAt) {
    }

    /** One delivery in a result row: whom, and where it stands. */
    record Badge(String recipient, DeliveryState state) {
        public String css() {
            return StateStyle.of(state);
        }
    }

    /** One message in the results. */
    record Row(String id, String reference, String subject, String sender, Instant acceptedAt, List<Badge> deliveries) {
    }

    /**
     * One page of results.
     *
     * @param newer the id to page to newer messages from ({@code after=}), null on the first page
     * @param older the id to page to older messages from ({@code before=}), null on the last page
     */
    record Page(List<Row> rows, String newer, String older) {
    }
}
