package de.amtsbote.adapter.smime;

import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What the channel remembers of a delivery it sent, in the gateway's {@link de.amtsbote.spi.ChannelMemory}, so that
 * a receipt arriving days later at any node can be matched and judged: the Message-ID (the transport reference),
 * the recipient's address (a receipt is only recipient-signed if that recipient signed it) and, when an ESS receipt
 * was requested, the signature that was sent (RFC 2634 2.6 checks a receipt against it).
 *
 * <p>Kept under {@code sent:<delivery id>} (DSN envelope ids and MDN Original-Message-IDs lead there) and, with a
 * receipt request, also under {@code ess:<signedContentIdentifier in hex>}.
 *
 * @param messageId the Message-ID sent, with angle brackets
 * @param recipient the recipient's address (normal form)
 * @param signature what was signed, when a receipt was requested; else null
 */
record SentRecord(String messageId, String recipient, SentSignature signature) {

    private static final int VERSION = 1;

    SentRecord {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(recipient, "recipient");
    }

    static String sentKey(String deliveryId) {
        return "sent:" + deliveryId;
    }

    static String essKey(byte[] contentIdentifier) {
        return "ess:" + HexFormat.of().formatHex(contentIdentifier);
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(messageId);
            out.writeUTF(recipient);
            out.writeBoolean(signature != null);
            if (signature != null) {
                SentSignature s = signature;
                bytes(out, s.signer().getEncoded());
                out.writeUTF(s.spec().scheme().name());
                out.writeUTF(s.spec().digest().name());
                text(out, s.spec().flag());
                out.writeLong(s.signingTime() == null ? Long.MIN_VALUE : s.signingTime().toEpochMilli());
                text(out, s.contentType());
                bytes(out, s.contentDigest());
                bytes(out, s.signatureValue());
                bytes(out, s.signedAttributes());
                bytes(out, s.receiptContentIdentifier());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the record of " + messageId + ": " + e.getMessage(), e);
        }
    }

    /** Reads a record written by {@link #encode()}; a record that cannot be read is treated as not remembered. */
    static SentRecord decode(byte[] value) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown record version " + version);
        }
        String messageId = in.readUTF();
        String recipient = in.readUTF();
        SentSignature signature = null;
        if (in.readBoolean()) {
            X509Certificate signer;
            try {
                signer = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(bytes(in)));
            } catch (CertificateException e) {
                throw new IOException("the remembered signer certificate cannot be read: " + e.getMessage(), e);
            }
            SignatureSpec spec = new SignatureSpec(Algorithm.valueOf(in.readUTF()), Algorithm.valueOf(in.readUTF()),
                    text(in));
            long time = in.readLong();
            signature = new SentSignature(signer, spec, time == Long.MIN_VALUE ? null : Instant.ofEpochMilli(time),
                    text(in), bytes(in), bytes(in), bytes(in), bytes(in));
        }
        return new SentRecord(messageId, recipient, signature);
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > de.amtsbote.spi.ChannelMemory.MAX_BYTES) {
            throw new IOException("field of " + n + " bytes in a remembered record");
        }
        return in.readNBytes(n);
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
