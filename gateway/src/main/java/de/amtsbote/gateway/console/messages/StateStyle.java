package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.delivery.DeliveryState;

/** The badge style of a delivery state; the badge also carries the state's name, so colour is never alone. */
final class StateStyle {

    private StateStyle() {
    }

    static String of(DeliveryState state) {
        return switch (state) {
            case DELIVERED, RETRIEVED, SENT -> "ok";
            case RETRY_WAIT -> "warn";
            case FAILED, EXPIRED -> "bad";
            case ACCEPTED, DISPATCHING -> "neutral";
        };
    }
}
