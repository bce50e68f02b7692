package de.amtsbote.sandbox.osci;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for one intermediary (the adapter's finer transport faults are WireMock's job): answering
 * {@code soap:Receiver}/{@code osci:Unavailable} (HTTP 500), and stopping the HTTP listener. The listener is shared
 * by every intermediary and the directory of the process, so stopping it stops them all; it comes back on the same
 * port.
 */
public final class OsciFaults {

    private final AtomicInteger unavailable = new AtomicInteger();
    private final OsciIntermediaries network;

    OsciFaults(OsciIntermediaries network) {
        this.network = network;
    }

    /** The next {@code n} requests are answered with the Receiver fault Unavailable. */
    public OsciFaults unavailable(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a number of requests cannot be negative: " + n);
        }
        unavailable.set(n);
        return this;
    }

    /** How many injected Unavailable faults are still to come. */
    public int pendingUnavailable() {
        return unavailable.get();
    }

    /** Closes the HTTP listener: connections are refused until {@link #startListener()}. */
    public OsciFaults stopListener() {
        network.stopListener();
        return this;
    }

    /** Opens the HTTP listener again on the same port. */
    public OsciFaults startListener() throws IOException {
        network.startListener();
        return this;
    }

    boolean takeUnavailable() {
        return unavailable.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
