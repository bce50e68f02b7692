package de.amtsbote.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples every running gateway node's heap in use (its own metrics) and resident memory ({@code /proc}) at a fixed
 * interval over the whole run, each sample labelled with the phase that was running.
 */
final class MemorySampler implements AutoCloseable {

    /** One sample; {@code heapMiB} is -1 where the node did not answer in time. */
    record Sample(double seconds, String node, String phase, double heapMiB, double rssMiB) {
    }

    private final List<GatewayNode> nodes = new CopyOnWriteArrayList<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final long origin;
    private final Thread thread;
    private volatile String phase = "start";
    private volatile boolean running = true;

    MemorySampler(Duration interval, long originNanos) {
        this.origin = originNanos;
        this.thread = new Thread(() -> {
            while (running) {
                sampleOnce();
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void watch(GatewayNode node) {
        nodes.add(node);
    }

    void forget(GatewayNode node) {
        nodes.remove(node);
    }

    void phase(String phase) {
        this.phase = phase;
    }

    String phase() {
        return phase;
    }

    List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    private void sampleOnce() {
        for (GatewayNode node : nodes) {
            if (!node.alive()) {
                continue;
            }
            OptionalDouble rss = node.rssMiB();
            OptionalDouble heap = node.heapUsedMiB();
            samples.add(new Sample((System.nanoTime() - origin) / 1e9, node.name(), phase, heap.orElse(-1),
                    rss.orElse(-1)));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
