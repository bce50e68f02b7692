package de.amtsbote.sandbox.mail;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for something the peers do on their own threads. */
final class Eventually {

    private Eventually() {
    }

    /** Polls until the condition holds; fails with {@code what} after the timeout. */
    static void await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
