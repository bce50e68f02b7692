package de.amtsbote.gateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something asynchronous in a test: poll a condition with a deadline, never a bare sleep. */
public final class Eventually {

    private Eventually() {
    }

    /** Waits until {@code condition} holds, polling every {@code every}, and fails naming {@code what} after the timeout. */
    public static void await(String what, Duration timeout, Duration every, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** {@link #await(String, Duration, Duration, BooleanSupplier)} polling every 100 ms. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, Duration.ofMillis(100), condition);
    }
}
