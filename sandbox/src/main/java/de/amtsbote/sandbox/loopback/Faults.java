package de.amtsbote.sandbox.loopback;

import java.util.OptionalInt;

/** The fault plan in force; message deliveries consult it first. */
final class Faults {

    private FaultPlan plan = FaultPlan.NONE;
    private int remaining;

    synchronized void set(FaultPlan plan) {
        this.plan = plan;
        this.remaining = plan.failNext();
    }

    synchronized void clear() {
        set(FaultPlan.NONE);
    }

    /** The status to fail this delivery with, using up one of the planned failures; empty if none is left. */
    synchronized OptionalInt takeFailure() {
        if (remaining == 0) {
            return OptionalInt.empty();
        }
        remaining--;
        return OptionalInt.of(plan.status());
    }

    synchronized long delayMillis() {
        return plan.delayMillis();
    }
}
