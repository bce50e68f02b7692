package de.amtsbote.gateway.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Queue depth for operators: {@code amtsbote.outbox.waiting} (due work no node holds yet — if it grows, nodes
 * cannot keep up) and {@code amtsbote.outbox.scheduled} (all work, including retries and expiry checks due later).
 * Counted every few seconds, not on every scrape, so a busy Prometheus does not load the database.
 */
@Component
class OutboxMetrics {

    private static final Logger log = LoggerFactory.getLogger(OutboxMetrics.class);

    private final Outbox outbox;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong scheduled = new AtomicLong();

    OutboxMetrics(Outbox outbox, MeterRegistry meters) {
        this.outbox = outbox;
        Gauge.builder("amtsbote.outbox.waiting", waiting, AtomicLong::get)
                .description("outbox work that is due and not claimed by any node").register(meters);
        Gauge.builder("amtsbote.outbox.scheduled", scheduled, AtomicLong::get)
                .description("all outbox work, due now or later").register(meters);
    }

    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT1S")
    void refresh() {
        try {
            waiting.set(outbox.waiting());
            scheduled.set(outbox.scheduled());
        } catch (RuntimeException e) {
            log.warn("cannot count outbox work for the queue-depth metric: {}", e.toString());
        }
    }
}
