package de.amtsbote.spi.testing;

import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.InboundSink;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.TransportReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link InboundSink} for adapter tests that records what the adapter handed to the gateway. Like the gateway, it
 * reads content during the call (it is only readable then), so a test can check bodies and parts afterwards.
 */
public class RecordingSink implements InboundSink {

    public final List<InboundMessage> accepted = new CopyOnWriteArrayList<>();
    public final List<String> bodies = new CopyOnWriteArrayList<>();
    /** Per accepted message: attachment file name → bytes. */
    public final List<Map<String, byte[]>> parts = new CopyOnWriteArrayList<>();
    public final List<TransportReceipt> receipts = new CopyOnWriteArrayList<>();
    public final List<InboundProof> proofs = new CopyOnWriteArrayList<>();
    public final List<QuarantinedMessage> quarantined = new CopyOnWriteArrayList<>();
    public final List<String> reasons = new CopyOnWriteArrayList<>();

    @Override
    public Stored accept(InboundMessage message) {
        try (InputStream in = message.body().open()) {
            bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Map<String, byte[]> content = new HashMap<>();
            for (var p : message.parts()) {
                try (InputStream part = p.content().open()) {
                    content.put(p.fileName(), part.readAllBytes());
                }
            }
            parts.add(content);
        } catch (IOException e) {
            throw new IllegalStateException("the accepted message cannot be read", e);
        }
        accepted.add(message);
        return Stored.NEW;
    }

    @Override
    public void receipt(TransportReceipt receipt) {
        receipts.add(receipt);
    }

    @Override
    public void inboundProof(InboundProof proof) {
        proofs.add(proof);
    }

    /** Reads the quarantined item whole, as the gateway stores it, and records it with its reason. */
    @Override
    public void quarantine(QuarantinedMessage message) {
        try (InputStream in = message.raw().open()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IllegalStateException("the quarantined item cannot be read", e);
        }
        quarantined.add(message);
        reasons.add(message.reason());
    }

    /** Forgets everything recorded so far. */
    public void clear() {
        accepted.clear();
        bodies.clear();
        parts.clear();
        receipts.clear();
        proofs.clear();
        quarantined.clear();
        reasons.clear();
    }
}
