package de.amtsbote.gateway.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One circuit breaker per channel and peer (Resilience4j). When a relay or an intermediary keeps failing, its
 * deliveries wait instead of using up their attempts against it, while other peers of the same channel go on.
 * Breaker state is per node; each node learns on its own.
 */
@Component
public class PeerBreakers {

    private static final Logger log = LoggerFactory.getLogger(PeerBreakers.class);

    private final CircuitBreakerRegistry registry;

    public PeerBreakers(DispatchProperties properties, MeterRegistry meters) {
        DispatchProperties.Breaker b = properties.breaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.window())
                .minimumNumberOfCalls(b.minimumCalls())
                .failureRateThreshold(b.failureRate())
                .waitDurationInOpenState(b.openWait())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
        // an operator must see when a peer is taken out of service and when it comes back
        registry.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                .onStateTransition(e -> log.warn("circuit breaker for {}: {} (failure rate {}%)",
                        e.getCircuitBreakerName(), e.getStateTransition(),
                        added.getAddedEntry().getMetrics().getFailureRate())));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    public CircuitBreaker of(String channel, String peer) {
        return registry.circuitBreaker(channel + "/" + peer);
    }

    /** How long an open breaker keeps its peer closed. */
    public Duration openWait(CircuitBreaker breaker) {
        return Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
    }
}
