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
 * @param breaker             when a peer counts as down (one circuit breaker per channel and peer)
 */
@ConfigurationProperties("amtsbote.dispatch")
public record DispatchProperties(
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("10s") Duration initialBackoff,
        @DefaultValue("2.0") double backoffMultiplier,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("30d") Duration receiptTimeout,
        @DefaultValue Breaker breaker) {

    /**
     * @param failureRate  percentage of failed attempts among the last {@code window} that opens the breaker
     * @param minimumCalls attempts seen before the rate counts
     * @param window       attempts the rate is taken over
     * @param openWait     how long an open breaker keeps deliveries to its peer waiting before it tries again
     */
    public record Breaker(@DefaultValue("50") int failureRate, @DefaultValue("10") int minimumCalls,
                          @DefaultValue("20") int window, @DefaultValue("30s") Duration openWait) {
    }

    public DispatchProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("amtsbote.dispatch.max-attempts must be >= 1");
        }
    }
}
