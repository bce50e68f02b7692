package de.amtsbote.adapter.smime;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundPart;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.InboundSink;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.TransportReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that keeps what it got, as the gateway would: it reads every content source before it returns (small
 * contents as bytes, or only their size and SHA-256 in digest mode), and can be told to fail.
 */
final class RecordingSink implements InboundSink {

    record Part(String fileName, String mediaType, byte[] content, long size, String sha256) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    record Message(InboundMessage message, String body, List<Part> parts) {
    }

    record Quarantined(QuarantinedMessage message, byte[] raw) {
        String reason() {
            return message.reason();
        }
    }

    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<TransportReceipt> receipts = new CopyOnWriteArrayList<>();
    final List<InboundProof> proofs = new CopyOnWriteArrayList<>();
    final List<Quarantined> quarantined = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    private final boolean digestOnly;

    RecordingSink() {
        this(false);
    }

    RecordingSink(boolean digestOnly) {
        this.digestOnly = digestOnly;
    }

    /** The next {@code n} calls fail as a store that is down would. */
    void failNext(int n) {
        failuresLeft.set(n);
    }

    int total() {
        return messages.size() + receipts.size() + quarantined.size();
    }

    private void maybeFail() {
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the store is down (test)");
        }
    }

    @Override
    public Stored accept(InboundMessage message) {
        maybeFail();
        try {
            String body;
            try (InputStream in = message.body().open()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<Part> parts = new ArrayList<>();
            for (InboundPart p : message.parts()) {
                ContentDigester digester = new ContentDigester();
                byte[] content;
                try (InputStream in = digester.watch(p.content().open())) {
                    if (digestOnly) {
                        in.transferTo(OutputStream.nullOutputStream());
                        content = new byte[0];
                    } else {
                        content = in.readAllBytes();
                    }
                }
                parts.add(new Part(p.fileName(), p.mediaType(), content, digester.bytes(), digester.hex()));
            }
            messages.add(new Message(message, body, parts));
            return Stored.NEW;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void receipt(TransportReceipt receipt) {
        maybeFail();
        receipts.add(receipt);
    }

    @Override
    public void inboundProof(InboundProof proof) {
        maybeFail();
        proofs.add(proof);
    }

    @Override
    public void quarantine(QuarantinedMessage message) {
        maybeFail();
        try (InputStream in = message.raw().open()) {
            quarantined.add(new Quarantined(message, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
