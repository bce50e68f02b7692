package de.amtsbote.sandbox.loopback;

/**
 * Trouble to simulate ({@code POST /control/faults}).
 *
 * @param failNext    how many of the next message deliveries are answered with {@code status}
 * @param status      the status of those answers; 503 comes with {@code Retry-After: 1}
 * @param delayMillis how long to hold back every delivery's answer until the faults are cleared (a slow peer)
 */
public record FaultPlan(int failNext, int status, long delayMillis) {
    public FaultPlan {
        if (failNext < 0 || delayMillis < 0) {
            throw new IllegalArgumentException("failNext and delayMillis must not be negative");
        }
        if (failNext > 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("an injected fault needs a 4xx or 5xx status, got " + status);
        }
    }

    static final FaultPlan NONE = new FaultPlan(0, 503, 0);
}
