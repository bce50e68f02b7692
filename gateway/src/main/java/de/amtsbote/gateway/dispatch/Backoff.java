package de.amtsbote.gateway.dispatch;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The wait before the next attempt: exponential with ±50 % jitter (Resilience4j's randomized backoff), so that
 * deliveries that failed together on one peer do not all come back at the same moment.
 */
@Component
public class Backoff {

    private final IntervalFunction intervals;

    public Backoff(DispatchProperties properties) {
        this.intervals = IntervalFunction.ofExponentialRandomBackoff(properties.initialBackoff(),
                properties.backoffMultiplier(), 0.5, properties.maxBackoff());
    }

    /** The wait after the {@code failedAttempts}-th failed attempt (1 = first failure). */
    public Duration after(int failedAttempts) {
        return Duration.ofMillis(intervals.apply(Math.max(1, failedAttempts)));
    }
}
