package de.amtsbote.gateway.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.outbox}: how this node works off durable work.
 *
 * @param workers       pieces of work done at once by this node; 0 makes an API-only node that accepts and answers
 *                      but leaves all dispatching to the other nodes
 * @param batchSize     rows claimed per database round trip at most
 * @param pollInterval  how often an idle node looks for due work
 * @param leaseDuration how long a claim holds before other nodes may take the work over. Leases are renewed
 *                      while work runs, so this bounds only how long the work of a node that died waits.
 */
@ConfigurationProperties("amtsbote.outbox")
public record OutboxProperties(
        @DefaultValue("8") int workers,
        @DefaultValue("32") int batchSize,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("60s") Duration leaseDuration) {

    public OutboxProperties {
        if (workers < 0 || batchSize < 1) {
            throw new IllegalArgumentException("amtsbote.outbox: workers must be >= 0 and batch-size >= 1");
        }
        if (leaseDuration.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("amtsbote.outbox.lease-duration must be at least 2s");
        }
    }
}
