package de.amtsbote.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesOfOneToAThousandMilliseconds() {
        Latencies l = new Latencies();
        for (int ms = 1; ms <= 1000; ms++) {
            l.recordNanos(ms * 1_000_000L);
        }
        Latencies.Summary s = l.summary();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50Ms()).isCloseTo(500, within(1.0));
        assertThat(s.p90Ms()).isCloseTo(900, within(1.0));
        assertThat(s.p99Ms()).isCloseTo(990, within(1.0));
        assertThat(s.maxMs()).isCloseTo(1000, within(1.0));
        assertThat(s.meanMs()).isCloseTo(500.5, within(1.0));
    }

    @Test
    void nothingRecordedIsAllZeroes() {
        assertThat(new Latencies().summary()).isEqualTo(Latencies.Summary.EMPTY);
    }

    @Test
    void aNegativeIntervalCountsAsZero() {
        Latencies l = new Latencies();
        l.recordMicros(-5);
        assertThat(l.summary().maxMs()).isZero();
        assertThat(l.count()).isEqualTo(1);
    }

    @Test
    void recordsFromManyThreadsAtOnce() throws InterruptedException {
        Latencies l = new Latencies();
        List<Thread> threads = new ArrayList<>();
        IntStream.range(0, 8).forEach(t -> threads.add(new Thread(() -> {
            for (int i = 0; i < 10_000; i++) {
                l.recordMicros(i);
            }
        })));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(l.count()).isEqualTo(80_000);
    }

    @Test
    void keepsThreeSignificantDigitsOverMinutes() {
        Latencies l = new Latencies();
        l.recordMicros(123_456_789L);
        assertThat(l.summary().maxMs()).isCloseTo(123_456.789, within(123.5));
    }
}
