package de.amtsbote.gateway.outbox;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Works off the outbox on this node: one poller claims due work for the free workers, the workers run the
 * {@link WorkHandler} of each kind, and a renewer extends the leases of work in progress.
 *
 * <p>The poller claims only as many rows as there are free workers, so claimed work never waits in a local queue
 * where its lease could run out. Submissions on this node wake the poller at once; work added by other nodes is
 * seen at the next poll.
 */
@Component
public class WorkRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkRunner.class);

    private final Outbox outbox;
    private final OutboxProperties properties;
    private final Map<WorkKind, WorkHandler> handlers = new EnumMap<>(WorkKind.class);
    private final Set<WorkItem> inFlight = ConcurrentHashMap.newKeySet();
    private final Semaphore freeWorkers;
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private boolean wakeUpPending;
    private ExecutorService workers;
    private ScheduledExecutorService renewer;
    private Thread poller;

    public WorkRunner(Outbox outbox, OutboxProperties properties, List<WorkHandler> handlers) {
        this.outbox = outbox;
        this.properties = properties;
        for (WorkHandler handler : handlers) {
            if (this.handlers.put(handler.kind(), handler) != null) {
                throw new IllegalStateException("two handlers for outbox work " + handler.kind());
            }
        }
        this.freeWorkers = new Semaphore(properties.workers());
    }

    /** Tells the poller that work was just added here, so it need not wait for the next poll. */
    public void wakeUp() {
        synchronized (wakeUp) {
            wakeUpPending = true;
            wakeUp.notifyAll();
        }
    }

    @Override
    public void start() {
        running = true;
        if (properties.workers() == 0) {
            log.info("outbox runner not started: amtsbote.outbox.workers is 0, this node only serves the API");
            return;
        }
        int leftover = outbox.releaseLeftoverLeases();
        if (leftover > 0) {
            log.info("released {} leases left by an earlier process of node '{}'; their work is due again", leftover,
                    outbox.nodeId());
        }
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(properties.workers(), r -> daemon(r, "outbox-worker-" + n.incrementAndGet()));
        renewer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "outbox-lease-renewer"));
        long renewEvery = Math.max(500, properties.leaseDuration().toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        poller = daemon(this::poll, "outbox-poller");
        poller.start();
        log.info("outbox runner started: {} workers, lease {}, poll every {}", properties.workers(),
                properties.leaseDuration(), properties.pollInterval());
    }

    @Override
    public void stop() {
        running = false;
        if (workers == null) {
            return;
        }
        wakeUp();
        if (poller != null) {
            poller.interrupt();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("{} outbox work items still running at shutdown; their leases will run out", inFlight.size());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        renewer.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Start after the channels and the web server are up; stop before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void poll() {
        while (running) {
            try {
                int free = freeWorkers.availablePermits();
                int claimed = 0;
                if (free > 0) {
                    List<WorkItem> items = outbox.claim(Math.min(free, properties.batchSize()), properties.leaseDuration());
                    claimed = items.size();
                    items.forEach(this::run);
                }
                if (claimed == 0 || freeWorkers.availablePermits() == 0) {
                    idle(free == 0);
                }
            } catch (RuntimeException e) {
                // the database may be away for a moment; keep polling, the work stays in the outbox
                log.warn("claiming outbox work failed: {}", e.toString());
                idle(false);
            }
        }
    }

    private void run(WorkItem item) {
        WorkHandler handler = handlers.get(item.kind());
        freeWorkers.acquireUninterruptibly();
        inFlight.add(item);
        workers.execute(() -> {
            try {
                handler.handle(item);
            } catch (RuntimeException e) {
                // the lease runs out and the work is taken up again; log it so an operator sees the cause
                log.error("outbox work {} {} failed; it will be retried after its lease runs out", item.kind(),
                        item.subjectId(), e);
            } finally {
                inFlight.remove(item);
                freeWorkers.release();
                if (freeWorkers.availablePermits() == 1) {
                    wakeUp(); // the poller may be waiting for a free worker
                }
            }
        });
    }

    private void idle(boolean waitingForWorker) {
        synchronized (wakeUp) {
            if (!wakeUpPending && running) {
                try {
                    wakeUp.wait(waitingForWorker ? 50 : properties.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            wakeUpPending = false;
        }
    }

    private void renewLeases() {
        try {
            outbox.renew(List.copyOf(inFlight), properties.leaseDuration());
        } catch (RuntimeException e) {
            log.warn("renewing {} outbox leases failed: {}", inFlight.size(), e.toString());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
