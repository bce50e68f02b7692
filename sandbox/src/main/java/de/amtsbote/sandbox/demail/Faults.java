package de.amtsbote.sandbox.demail;

import java.util.concurrent.atomic.AtomicInteger;

/** Fault injection for a provider's SMTP submission (see also {@link DeMailProvider#stopSmtp()}). */
public final class Faults {

    private final AtomicInteger tempFailures = new AtomicInteger();
    private volatile boolean refuseClientCertificates;
    private volatile Runnable forgetTlsSessions = () -> { };

    Faults() {
    }

    /** The next {@code n} transactions are answered {@code 451 4.3.0} at MAIL FROM ("provider busy"). */
    public Faults tempFail(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a number of transactions cannot be negative: " + n);
        }
        tempFailures.set(n);
        return this;
    }

    /**
     * While set, every TLS handshake fails on the client certificate, as if the provider no longer trusted it (a
     * certificate revoked or not renewed at the provider): the client sees a handshake failure, not an SMTP reply.
     */
    public Faults refuseClientCertificates(boolean refuse) {
        this.refuseClientCertificates = refuse;
        if (refuse) {
            forgetTlsSessions.run();
        }
        return this;
    }

    void onRefusal(Runnable forgetSessions) {
        this.forgetTlsSessions = forgetSessions;
    }

    boolean refusesClientCertificates() {
        return refuseClientCertificates;
    }

    /** How many injected temporary failures are still to come. */
    public int pendingTempFailures() {
        return tempFailures.get();
    }

    /** True (and one fewer left) if this transaction is to fail temporarily. */
    boolean takeTempFailure() {
        return tempFailures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
