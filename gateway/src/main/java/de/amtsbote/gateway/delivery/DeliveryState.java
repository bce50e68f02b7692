package de.amtsbote.gateway.delivery;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a delivery stands. States move forward only; the one loop is DISPATCHING ⇄ RETRY_WAIT, bounded by the
 * attempt limit, and DISPATCHING → DISPATCHING when a node takes over the work of one whose lease ran out.
 * A late or repeated receipt never moves a delivery back: it is kept as evidence and the state stays.
 */
public enum DeliveryState {
    ACCEPTED, DISPATCHING, RETRY_WAIT, SENT, DELIVERED, RETRIEVED, FAILED, EXPIRED;

    static {
        ACCEPTED.next = EnumSet.of(DISPATCHING, FAILED);
        DISPATCHING.next = EnumSet.of(DISPATCHING, RETRY_WAIT, SENT, DELIVERED, FAILED);
        RETRY_WAIT.next = EnumSet.of(DISPATCHING, FAILED);
        SENT.next = EnumSet.of(DELIVERED, RETRIEVED, FAILED, EXPIRED);
        DELIVERED.next = EnumSet.of(RETRIEVED, EXPIRED);
        RETRIEVED.next = EnumSet.noneOf(DeliveryState.class);
        FAILED.next = EnumSet.noneOf(DeliveryState.class);
        EXPIRED.next = EnumSet.noneOf(DeliveryState.class);
    }

    private Set<DeliveryState> next;

    public boolean canMoveTo(DeliveryState target) {
        return next.contains(target);
    }

    public boolean isTerminal() {
        return next.isEmpty();
    }

    /** Whether the next hop has the message: receipts can only be about deliveries in these states. */
    public boolean isHandedOver() {
        return this == SENT || this == DELIVERED || this == RETRIEVED;
    }

    /** How far a handed-over delivery got: SENT < DELIVERED < RETRIEVED. */
    int progress() {
        return switch (this) {
            case SENT -> 1;
            case DELIVERED -> 2;
            case RETRIEVED -> 3;
            default -> 0;
        };
    }

    /** Whether this state is at least as far as {@code other} (both handed-over states). */
    public boolean reached(DeliveryState other) {
        return progress() >= other.progress() && isHandedOver();
    }
}
