package de.amtsbote.adapter.bebpo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What the channel remembers of a delivery it stored at an intermediary, in the gateway's
 * {@link de.amtsbote.spi.ChannelMemory} under {@code sent:<message id>}: written <em>before</em> the storeDelivery
 * request goes out, so that a {@code MessageIdUsed} fault on a retry is recognised as our own earlier attempt, and
 * process cards fetched days later on any node are tied to a delivery the gateway really stored there.
 *
 * @param state what the process cards said so far, so each receipt is handed in once
 */
record SentRecord(String messageId, String deliveryId, String participant, String originator, String addressee,
                  URI intermediary, State state, Instant storedAt) {

    enum State { STORING, SENT, DELIVERED, RETRIEVED }

    private static final int VERSION = 1;

    SentRecord {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(originator, "originator");
        Objects.requireNonNull(addressee, "addressee");
        Objects.requireNonNull(intermediary, "intermediary");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(storedAt, "storedAt");
    }

    static String key(String messageId) {
        return "sent:" + messageId;
    }

    /** Where a delivery's message id is kept across attempts: a retry reuses it, so nothing is stored twice. */
    static String deliveryKey(String deliveryId) {
        return "delivery:" + deliveryId;
    }

    SentRecord with(State next, Instant at) {
        return new SentRecord(messageId, deliveryId, participant, originator, addressee, intermediary, next, at);
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(messageId);
            out.writeUTF(deliveryId);
            out.writeUTF(participant);
            out.writeUTF(originator);
            out.writeUTF(addressee);
            out.writeUTF(intermediary.toString());
            out.writeUTF(state.name());
            out.writeLong(storedAt.getEpochSecond());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the record of " + messageId, e);
        }
    }

    static SentRecord decode(byte[] value) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown record version " + version);
        }
        try {
            return new SentRecord(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                    URI.create(in.readUTF()), State.valueOf(in.readUTF()), Instant.ofEpochSecond(in.readLong()));
        } catch (IllegalArgumentException e) {
            throw new IOException("a remembered delivery record cannot be read: " + e.getMessage(), e);
        }
    }
}
