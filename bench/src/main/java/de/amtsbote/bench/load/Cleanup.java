package de.amtsbote.bench.load;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything a load run started — gateway processes, databases, sandbox peers — closed in reverse order, once:
 * at the end of the run, after a failure, or from a shutdown hook on Ctrl-C (SIGINT) or SIGTERM. Something
 * registered after the close began (the run's thread still starting a process while the hook runs) is closed at
 * once. Only a {@code kill -9} of the benchmark itself leaves processes behind; their working directories under
 * {@code bench/target/load-run/} say which.
 */
final class Cleanup implements AutoCloseable {

    /** A resource's close, with a name for the message if it fails. */
    interface Step {
        void close() throws Exception;
    }

    private record Entry(String name, Step step) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Thread hook = new Thread(this::closeFromHook, "load-cleanup");
    private boolean closed;

    Cleanup() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers a close step; runs it now if the cleanup already happened. */
    void add(String name, Step step) {
        synchronized (this) {
            if (!closed) {
                entries.push(new Entry(name, step));
                return;
            }
        }
        run(new Entry(name, step));
    }

    /** Runs and forgets one registered step early (a node stopped between phases). */
    void closeNow(String name) {
        Entry found = null;
        synchronized (this) {
            for (Entry e : entries) {
                if (e.name().equals(name)) {
                    found = e;
                    break;
                }
            }
            if (found != null) {
                entries.remove(found);
            }
        }
        if (found != null) {
            run(found);
        }
    }

    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or ran, and closeAll is idempotent
        }
    }

    private void closeFromHook() {
        boolean any;
        synchronized (this) {
            any = !closed && !entries.isEmpty();
        }
        if (any) {
            System.err.println("[load] interrupted: stopping the gateway processes and dropping the databases ...");
        }
        closeAll();
    }

    private void closeAll() {
        while (true) {
            Entry next;
            synchronized (this) {
                closed = true;
                next = entries.poll();
            }
            if (next == null) {
                return;
            }
            run(next);
        }
    }

    private static void run(Entry e) {
        try {
            e.step().close();
        } catch (Exception | Error failure) {
            System.err.println("[load] cleanup of " + e.name() + " failed: " + failure);
        }
    }
}
