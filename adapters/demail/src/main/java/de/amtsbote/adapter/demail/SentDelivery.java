package de.amtsbote.adapter.demail;

import de.amtsbote.crypto.policy.Algorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the channel remembers of a delivery it submitted, in the gateway's {@link de.amtsbote.spi.ChannelMemory},
 * so that a confirmation arriving days later at any node can be tied to it by its signed content: the Message-ID
 * (the transport reference), sender, recipient, subject, and the body hashes of what was written (SHA-256/384/512:
 * the provider picks the hash of its integrity field). Each attempt writes new MIME boundaries, so the hashes of
 * every attempt are kept (at most {@value #MAX_ATTEMPTS}): a provider that took an earlier attempt whose 250 was lost
 * confirms that one.
 *
 * <p>Kept under {@code sent:<delivery id>}; the delivery id is the {@code x-de-mail-private-id} the provider copies
 * into every confirmation and notification.
 */
record SentDelivery(String messageId, String sender, String recipient, String subject,
                    List<Map<Algorithm, byte[]>> bodyHashes) {

    static final int MAX_ATTEMPTS = 16;
    static final List<Algorithm> DIGESTS = List.of(Algorithm.SHA256, Algorithm.SHA384, Algorithm.SHA512);
    private static final int VERSION = 1;

    SentDelivery {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(subject, "subject");
        bodyHashes = List.copyOf(bodyHashes);
    }

    static String key(String deliveryId) {
        return "sent:" + deliveryId;
    }

    /** This record with one more attempt's body hashes; the oldest are dropped beyond {@value #MAX_ATTEMPTS}. */
    SentDelivery withAttempt(String messageId, String sender, String recipient, String subject,
                             Map<Algorithm, byte[]> hashes) {
        List<Map<Algorithm, byte[]>> all = new ArrayList<>(bodyHashes);
        all.add(hashes);
        while (all.size() > MAX_ATTEMPTS) {
            all.remove(0);
        }
        return new SentDelivery(messageId, sender, recipient, subject, all);
    }

    /** Whether any attempt's body had this hash under this digest. */
    boolean sentBodyWithHash(Algorithm digest, byte[] hash) {
        return bodyHashes.stream().map(h -> h.get(digest)).anyMatch(h -> h != null && Arrays.equals(h, hash));
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(messageId);
            out.writeUTF(sender);
            out.writeUTF(recipient);
            out.writeUTF(subject.length() > 2000 ? subject.substring(0, 2000) : subject);
            out.writeByte(bodyHashes.size());
            for (Map<Algorithm, byte[]> attempt : bodyHashes) {
                out.writeByte(attempt.size());
                for (Map.Entry<Algorithm, byte[]> e : attempt.entrySet()) {
                    out.writeUTF(e.getKey().name());
                    out.writeByte(e.getValue().length);
                    out.write(e.getValue());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the record of " + messageId, e);
        }
    }

    static SentDelivery decode(byte[] value) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown record version " + version);
        }
        String messageId = in.readUTF();
        String sender = in.readUTF();
        String recipient = in.readUTF();
        String subject = in.readUTF();
        int attempts = in.readUnsignedByte();
        List<Map<Algorithm, byte[]>> hashes = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            int n = in.readUnsignedByte();
            Map<Algorithm, byte[]> attempt = new EnumMap<>(Algorithm.class);
            for (int j = 0; j < n; j++) {
                Algorithm a;
                try {
                    a = Algorithm.valueOf(in.readUTF());
                } catch (IllegalArgumentException e) {
                    throw new IOException("unknown digest in a remembered record", e);
                }
                attempt.put(a, in.readNBytes(in.readUnsignedByte()));
            }
            hashes.add(attempt);
        }
        return new SentDelivery(messageId, sender, recipient, subject, hashes);
    }
}
