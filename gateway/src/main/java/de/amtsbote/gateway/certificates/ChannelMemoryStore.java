package de.amtsbote.gateway.certificates;

import de.amtsbote.spi.ChannelMemory;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The channels' shared memory in the database: every node sees what any node remembered. */
@Component
public class ChannelMemoryStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    ChannelMemoryStore(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** The memory of one channel. */
    public ChannelMemory forChannel(String channel) {
        Objects.requireNonNull(channel);
        return new ChannelMemory() {
            @Override
            public void remember(String key, byte[] value, Duration keepFor) {
                if (value.length > MAX_BYTES) {
                    throw new IllegalArgumentException("channel memory values are at most " + MAX_BYTES + " bytes");
                }
                if (key.length() > 400) {
                    throw new IllegalArgumentException("channel memory keys are at most 400 characters");
                }
                // delete and insert in one transaction: the same on H2 and PostgreSQL, unlike their upserts
                tx.executeWithoutResult(s -> {
                    jdbc.sql("delete from channel_memory where channel = :c and mem_key = :k")
                            .param("c", channel).param("k", key).update();
                    jdbc.sql("insert into channel_memory (channel, mem_key, mem_value, expires_at)"
                                    + " values (:c, :k, :v, :e)")
                            .param("c", channel).param("k", key).param("v", value)
                            .param("e", clock.instant().plus(keepFor).atOffset(ZoneOffset.UTC)).update();
                });
            }

            @Override
            public Optional<byte[]> recall(String key) {
                return jdbc.sql("select mem_value from channel_memory where channel = :c and mem_key = :k"
                                + " and expires_at > :now")
                        .param("c", channel).param("k", key).param("now", clock.instant().atOffset(ZoneOffset.UTC))
                        .query(byte[].class).optional();
            }
        };
    }

    /** Forgets what has expired, hourly. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetExpired() {
        jdbc.sql("delete from channel_memory where expires_at <= :now")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).update();
    }
}
