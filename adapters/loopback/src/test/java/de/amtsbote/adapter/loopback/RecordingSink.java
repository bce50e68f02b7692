package de.amtsbote.adapter.loopback;

import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundPart;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.InboundSink;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.TransportReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An inbound sink that keeps what it was given, reading all content while the call lasts, as the gateway's sink
 * stores it durably before returning. It can be told to fail, to play a sink whose database is down.
 */
final class RecordingSink implements InboundSink {

    /** A message with its content as read during {@link #accept}. */
    record Received(InboundMessage message, byte[] body, List<byte[]> parts) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A quarantined item with its raw content as read during {@link #quarantine}. */
    record Quarantined(QuarantinedMessage message, byte[] raw) {
    }

    final List<Received> messages = new CopyOnWriteArrayList<>();
    final List<TransportReceipt> receipts = new CopyOnWriteArrayList<>();
    final List<InboundProof> proofs = new CopyOnWriteArrayList<>();
    final List<Quarantined> quarantined = new CopyOnWriteArrayList<>();
    /** Every call to accept, receipt, inboundProof or quarantine, including failed ones. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    private volatile RuntimeException failure;
    private volatile Runnable whileStoring = () -> { };

    /** From now on every call throws this. */
    void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    void recover() {
        this.failure = null;
    }

    /** Runs inside each call, after the content was read and before it returns. */
    void whileStoring(Runnable action) {
        this.whileStoring = action;
    }

    @Override
    public Stored accept(InboundMessage message) {
        calls.add("accept " + message.transportId());
        failIfTold();
        byte[] body = read(message.body());
        List<byte[]> parts = new ArrayList<>();
        for (InboundPart part : message.parts()) {
            parts.add(read(part.content()));
        }
        whileStoring.run();
        messages.add(new Received(message, body, parts));
        return Stored.NEW;
    }

    @Override
    public void receipt(TransportReceipt receipt) {
        calls.add("receipt " + receipt.transportReference());
        failIfTold();
        whileStoring.run();
        receipts.add(receipt);
    }

    @Override
    public void inboundProof(InboundProof proof) {
        calls.add("inboundProof " + proof.transportId());
        failIfTold();
        whileStoring.run();
        proofs.add(proof);
    }

    @Override
    public void quarantine(QuarantinedMessage message) {
        calls.add("quarantine " + message.transportId());
        failIfTold();
        byte[] raw = read(message.raw());
        whileStoring.run();
        quarantined.add(new Quarantined(message, raw));
    }

    private void failIfTold() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }

    private static byte[] read(ContentSource source) {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not store content", e);
        }
    }
}
