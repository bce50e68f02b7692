package de.amtsbote.gateway.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The system clock in whole microseconds, the precision PostgreSQL and H2 store: a time read back from the database
 * equals the time that was written, which evidence digests depend on. (JDK 17's {@code Clock.tick} cannot tick
 * below a millisecond: its {@code millis()} divides by zero.)
 */
final class MicrosecondClock extends Clock {

    private final ZoneId zone;

    MicrosecondClock() {
        this(ZoneOffset.UTC);
    }

    private MicrosecondClock(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return newZone.equals(zone) ? this : new MicrosecondClock(newZone);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public Instant instant() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
