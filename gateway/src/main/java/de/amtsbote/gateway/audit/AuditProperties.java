package de.amtsbote.gateway.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.audit}: how often the chain's head is sealed in a signed checkpoint.
 *
 * @param checkpointEvery    a checkpoint once this many entries were appended since the last one
 * @param checkpointInterval and at the latest this long after the last one, if anything was appended meanwhile
 */
@ConfigurationProperties("amtsbote.audit")
public record AuditProperties(
        @DefaultValue("1000") int checkpointEvery,
        @DefaultValue("15m") Duration checkpointInterval) {

    public AuditProperties {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("amtsbote.audit.checkpoint-every must be at least 1, got "
                    + checkpointEvery);
        }
        if (checkpointInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("amtsbote.audit.checkpoint-interval must be at least 1s");
        }
    }
}
