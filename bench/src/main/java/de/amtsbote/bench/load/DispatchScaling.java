package de.amtsbote.bench.load;

import de.amtsbote.sandbox.loopback.LoopbackPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast 1, 2 and 3 gateway nodes on one PostgreSQL drain a backlog. All nodes run from the start; the worker
 * nodes poll for work only once an hour, so a node works only when a submission on it wakes it (the gateway wakes its
 * own outbox runner after each acceptance). A round preloads {@code messages} loopback messages through a node
 * without outbox workers (the backlog then waits, durably accepted, with nobody dispatching), wakes the round's nodes
 * at the same moment by submitting one message to each, and times the loopback peer's count of distinct deliveries.
 * The peer also says which node delivered what, which shows that the nodes not in the round stayed asleep.
 */
final class DispatchScaling {

    private DispatchScaling() {
    }

    /**
     * Before the rounds: each node that has not worked yet accepts and dispatches some messages of its own, so that its
     * API and dispatch code are compiled (the JIT) before it is timed; not reported.
     */
    static void warmUp(List<GatewayNode> nodes, Installation installation, int messages, byte[] attachment,
                       AtomicLong sequence, Duration patience) throws InterruptedException {
        LoopbackPeer peer = installation.peer;
        for (GatewayNode node : nodes) {
            long before = peer.stats().unique();
            LoadStep.Outcome own = LoadStep.run(node.uri(), installation.clientToken, Channel.LOOPBACK, 2, messages,
                    Duration.ofMinutes(5), attachment, sequence);
            long deadline = System.nanoTime() + patience.toNanos();
            while (peer.stats().unique() - before < own.accepted() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }

    static LoadResults.DispatchRound round(List<GatewayNode> nodes, GatewayNode preloader, Installation installation,
                                           int messages, byte[] attachment, AtomicLong sequence, int preloadClients,
                                           Duration patience) throws InterruptedException {
        LoopbackPeer peer = installation.peer;
        long before = peer.stats().unique();
        Map<String, Long> byNodeBefore = new LinkedHashMap<>(peer.stats().byNode());
        LoadStep.Outcome preload = LoadStep.run(preloader.uri(), installation.clientToken, Channel.LOOPBACK,
                preloadClients, messages, Duration.ofMinutes(30), attachment, sequence);
        if (preload.accepted() < messages) {
            throw new IllegalStateException("preloading the backlog failed: " + preload.accepted() + " of " + messages
                    + " accepted; " + preload.problems());
        }
        long start = peer.stats().unique();
        long total = preload.accepted() + nodes.size();
        List<String> wakeFailures = new CopyOnWriteArrayList<>();
        List<Thread> wakers = new ArrayList<>();
        for (GatewayNode node : nodes) {
            long n = sequence.incrementAndGet();
            wakers.add(new Thread(() -> {
                try {
                    LoadClient.Answer wake = new LoadClient(node.uri(), installation.clientToken)
                            .submit(Channel.LOOPBACK.envelope(n), "wecken.pdf", attachment);
                    if (!wake.accepted()) {
                        wakeFailures.add(node.name() + ": " + wake.raw());
                    }
                } catch (RuntimeException e) {
                    wakeFailures.add(node.name() + ": " + e);
                }
            }, "wake-" + node.name()));
        }
        long t0 = System.nanoTime();
        wakers.forEach(Thread::start);
        long t10 = 0;
        long t90 = 0;
        long done = 0;
        long deadline = t0 + patience.toNanos();
        while (System.nanoTime() < deadline && wakeFailures.isEmpty()) {
            done = peer.stats().unique() - start;
            long now = System.nanoTime();
            if (t10 == 0 && done >= total / 10) {
                t10 = now;
            }
            if (t90 == 0 && done >= total * 9 / 10) {
                t90 = now;
            }
            if (done >= total) {
                break;
            }
            Thread.sleep(2);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (Thread w : wakers) {
            w.join();
        }
        if (!wakeFailures.isEmpty()) {
            throw new IllegalStateException("waking the nodes failed: " + wakeFailures);
        }
        Map<String, Long> byNode = new LinkedHashMap<>();
        peer.stats().byNode().forEach((node, count) -> {
            long delta = count - byNodeBefore.getOrDefault(node, 0L);
            if (delta > 0) {
                byNode.put(node, delta);
            }
        });
        double steady = t90 > t10 ? (total * 8 / 10.0) / ((t90 - t10) / 1e9) : 0;
        return new LoadResults.DispatchRound(nodes.size(), (int) total, preload.seconds(), start - before, seconds,
                done / seconds, steady, byNode, done >= total);
    }
}
