package de.amtsbote.gateway.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.dispatch}: how deliveries are handed over and how long they may wait.
 *
 * @param maxAttempts         dispatch attempts before a delivery fails for good
 * @param initialBackoff      wait after the first transient failure; grows by {@code backoffMultiplier}, with
 *                            jitter, up to {@code maxBackoff}
 * @param receiptTimeout      how long a delivery waits for the receipts it asked for before it ends as EXPIRED
 */
@ConfigurationProperties("amtsbote.dispatch")
public record DispatchProperties(
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("10s") Duration initialBackoff,
        @DefaultValue("2.0") double backoffMultiplier,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("30d") Duration receiptTimeout) {

    public DispatchProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("amtsbote.dispatch.max-attempts must be >= 1");
        }
    }
}
