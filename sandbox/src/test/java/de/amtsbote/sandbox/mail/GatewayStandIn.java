package de.amtsbote.sandbox.mail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Stands in for the gateway's inbound SMTP listener: accepts every mail (also with the null reverse-path receipts
 * use) and keeps it as it arrived, with its envelope.
 */
final class GatewayStandIn implements AutoCloseable {

    /** One mail as it arrived. */
    record Arrival(String envelopeFrom, String recipient, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final SMTPServer server;
    private final List<Arrival> arrivals = new ArrayList<>();

    GatewayStandIn() throws IOException {
        this(0);
    }

    /** On a given port (0: a free one), for a gateway that comes up late. */
    GatewayStandIn(int port) throws IOException {
        server = SMTPServer.port(port).bindAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))
                .simpleMessageListener(new SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws IOException {
                        byte[] bytes = data.readAllBytes();
                        synchronized (arrivals) {
                            arrivals.add(new Arrival(from, recipient, bytes));
                        }
                    }
                }).build();
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    /** Waits until {@code count} mails arrived and returns all of them. */
    List<Arrival> await(int count, Duration timeout) throws InterruptedException {
        Eventually.await(count + " mails at the gateway (have " + arrivals().size() + ")", timeout,
                () -> arrivals().size() >= count);
        return arrivals();
    }

    @Override
    public void close() {
        server.stop();
    }
}
