package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.bundle.EvidenceFacts;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.messages.MessageRepository;
import de.amtsbote.gateway.messages.StoredMessage;
import de.amtsbote.gateway.outbox.WorkKind;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Everything the message page shows: the message as stored, each delivery with its outbox work (when it is due, and
 * whether a node holds it right now), how retries link deliveries, and each delivery's evidence chain read back from
 * the signed documents (one at a time).
 */
@Component
class MessageDetails {

    private final JdbcClient jdbc;
    private final MessageRepository messages;
    private final EvidenceRepository evidence;
    private final Clock clock;

    MessageDetails(JdbcClient jdbc, MessageRepository messages, EvidenceRepository evidence, Clock clock) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.evidence = evidence;
        this.clock = clock;
    }

    Optional<Details> find(String messageId) {
        return messages.find(messageId).map(m -> new Details(m, deliveries(messageId, timelines(messageId))));
    }

    private List<DeliveryItem> deliveries(String messageId, Map<String, List<Event>> timelines) {
        Instant now = clock.instant();
        List<DeliveryItem> items = jdbc.sql("""
                select d.id, d.position, d.recipient, d.channel, d.address, d.state, d.attempts, d.last_error,
                       d.transport_ref, d.updated_at, d.retry_of, r.id as retried_as, o.due_at, o.lease_owner,
                       o.lease_until
                from delivery d
                left join delivery r on r.retry_of = d.id
                left join outbox o on o.kind = :dispatch and o.subject_id = d.id
                where d.message_id = :message
                order by d.position
                """)
                .param("dispatch", WorkKind.DISPATCH.name()).param("message", messageId)
                .query((rs, i) -> new DeliveryItem(rs.getString("id"), rs.getInt("position") + 1,
                        rs.getString("recipient"), rs.getString("channel"), rs.getString("address"),
                        DeliveryState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                        rs.getString("last_error"), rs.getString("transport_ref"),
                        instant(rs.getObject("updated_at", OffsetDateTime.class)), rs.getString("retry_of"),
                        rs.getString("retried_as"), instant(rs.getObject("due_at", OffsetDateTime.class)),
                        holder(rs.getString("lease_owner"), instant(rs.getObject("lease_until", OffsetDateTime.class)),
                                now),
                        timelines.getOrDefault(rs.getString("id"), List.of())))
                .list();
        Map<String, Integer> numbers = new HashMap<>();
        items.forEach(d -> numbers.put(d.id(), d.number()));
        return items.stream().map(d -> d.numbered(numbers)).toList();
    }

    /**
     * Each delivery's chain: the message-wide documents (the SubmissionAcceptance that starts every chain), then the
     * delivery's own, in the order they were recorded.
     */
    private Map<String, List<Event>> timelines(String messageId) {
        List<Event> messageWide = new ArrayList<>();
        Map<String, List<Event>> byDelivery = new HashMap<>();
        record Row(String id, String deliveryId, String event, Instant time, String stateFrom) {
        }
        List<Row> rows = jdbc.sql("""
                select id, delivery_id, event, occurred_at, state_from from evidence
                where message_id = :message order by seq
                """)
                .param("message", messageId)
                .query((rs, i) -> new Row(rs.getString("id"), rs.getString("delivery_id"), rs.getString("event"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("state_from")))
                .list();
        for (Row s : rows) {
            // the reason is only in the signed document: read back one at a time, as the evidence bundle does
            byte[] document = evidence.find(s.id()).orElseThrow(() -> new IllegalStateException(
                    "evidence " + s.id() + " of message " + messageId + " vanished")).document();
            EvidenceFacts facts = EvidenceFacts.read(s.id(), document);
            Event e = new Event(s.id(), s.event(), s.time(), s.stateFrom(), facts.stateTo(), facts.reason(),
                    facts.assurance());
            if (s.deliveryId() == null) {
                messageWide.add(e);
            } else {
                byDelivery.computeIfAbsent(s.deliveryId(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, List<Event>> chains = new HashMap<>();
        byDelivery.forEach((delivery, own) -> {
            List<Event> chain = new ArrayList<>(messageWide);
            chain.addAll(own);
            chains.put(delivery, chain);
        });
        return chains;
    }

    /** The node holding the work now; a lease that ran out holds nothing. */
    private static String holder(String owner, Instant until, Instant now) {
        return owner != null && until != null && !until.isBefore(now) ? owner : null;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** The message and its deliveries. */
    record Details(StoredMessage message, List<DeliveryItem> deliveries) {
    }

    /**
     * One delivery on the message page.
     *
     * @param number          1, 2, … in the order of the message's deliveries
     * @param retryOf         the delivery this one sends again, or null
     * @param retriedAs       the delivery that sends this one again, or null
     * @param due             when its dispatch work is due (ACCEPTED, RETRY_WAIT: the next attempt), or null
     * @param holder          the node that holds its work right now (a dispatch is starting), or null
     * @param retryOfNumber   the number of {@code retryOf}
     * @param retriedAsNumber the number of {@code retriedAs}
     */
    record DeliveryItem(String id, int number, String recipient, String channel, String address, DeliveryState state,
                        int attempts, String lastError, String transportReference, Instant updatedAt, String retryOf,
                        String retriedAs, Instant due, String holder, List<Event> timeline, Integer retryOfNumber, Integer retriedAsNumber) {

        DeliveryItem(String id, int number, String recipient, String channel, String address, DeliveryState state,
                     int attempts, String lastError, String transportReference, Instant updatedAt, String retryOf,
                     String retriedAs, Instant due, String holder, List<Event> timeline) {
            this(id, number, recipient, channel, address, state, attempts, lastError, transportReference, updatedAt,
                    retryOf, retriedAs, due, holder, timeline, null, null);
        }

        DeliveryItem numbered(Map<String, Integer> numbers) {
            return new DeliveryItem(id, number, recipient, channel, address, state, attempts, lastError,
                    transportReference, updatedAt, retryOf, retriedAs, due, holder, timeline,
                    retryOf == null ? null : numbers.get(retryOf), retriedAs == null ? null : numbers.get(retriedAs));
        }

        /** Not handed over yet: an operator may dispatch it now or cancel it. */
        public boolean waiting() {
            return state == DeliveryState.ACCEPTED || state == DeliveryState.RETRY_WAIT;
        }

        /** Ended without reaching the recipient and not sent again yet: an operator may send it again. */
        public boolean resendable() {
            return (state == DeliveryState.FAILED || state == DeliveryState.EXPIRED) && retriedAs == null;
        }

        public String css() {
            return StateStyle.of(state);
        }
    }

    /** One evidence document in a delivery's timeline. */
    record Event(String evidenceId, String event, Instant time, String stateFrom, String stateTo, String reason,
                 String assurance) {
    }
}
