package de.amtsbote.gateway.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the gateway's used heap through its metrics endpoint every 100 ms. */
public final class HeapSampler extends Thread {
    private final ApiClient monitoring;
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);

    public HeapSampler(ApiClient monitoring) {
        this.monitoring = monitoring;
        setDaemon(true);
    }

    @Override
    public void run() {
        while (running.get()) {
            ApiClient.Response r = monitoring.get("/actuator/metrics/jvm.memory.used?tag=area:heap");
            if (r.status() == 200) {
                long used = (long) r.json().get("measurements").get(0).get("value").asDouble();
                max.accumulateAndGet(used, Math::max);
                samples.incrementAndGet();
            }
            Fleet.sleep(100);
        }
    }

    public void stopSampling() {
        running.set(false);
    }

    public long maxUsed() {
        return max.get();
    }

    public long samples() {
        return samples.get();
    }
}
