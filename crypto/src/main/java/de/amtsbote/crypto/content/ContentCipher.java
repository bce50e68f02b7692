package de.amtsbote.crypto.content;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Encrypts content at rest as a stream, in constant memory, whatever its size.
 *
 * <p>One AES-GCM message over a whole file cannot be decrypted as a stream: the JDK holds back all plaintext
 * until the tag at the end is checked. So the content is cut into segments of {@value #SEGMENT_BYTES} bytes, each
 * sealed with AES-256-GCM on its own (the construction of Tink's streaming AEAD):
 *
 * <pre>
 * header  = "AMBC" | version 1 | key-id length | key-id | salt (32) | nonce prefix (7)
 * key     = HKDF-SHA256(master key, salt, "amtsbote content v1" | key-id | content id)   (AES-256)
 * segment = AES-GCM(key, nonce = prefix | segment number (4) | last-segment flag (1), plaintext) with a 128-bit tag
 * </pre>
 *
 * Every item has its own key (fresh salt), so GCM's nonce space is never shared between items. The content id
 * enters the key, so an item copied over another one's file fails to decrypt. The segment number and the
 * last-segment flag enter the nonce, so reordered, removed or truncated segments fail to decrypt.
 * AES-256-GCM with 96-bit nonces and 128-bit tags follows BSI TR-02102-1 (2025-01), section 2.1.
 */
public final class ContentCipher {

    static final int SEGMENT_BYTES = 64 * 1024;
    static final int TAG_BYTES = 16;
    private static final int SALT_BYTES = 32;
    private static final int PREFIX_BYTES = 7;
    private static final byte[] MAGIC = {'A', 'M', 'B', 'C'};
    private static final int VERSION = 1;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final ContentKeyRing keys;
    private final SecureRandom random = new SecureRandom();

    public ContentCipher(ContentKeyRing keys) {
        this.keys = Objects.requireNonNull(keys);
    }

    /**
     * Returns a stream that encrypts what is written to it into {@code ciphertext}. Closing it writes the last
     * segment and closes {@code ciphertext}; content that was never closed is unreadable, never silently short.
     */
    public OutputStream encrypt(OutputStream ciphertext, String contentId) throws IOException {
        String keyId = keys.currentId();
        byte[] salt = randomBytes(SALT_BYTES);
        byte[] prefix = randomBytes(PREFIX_BYTES);
        ciphertext.write(header(keyId, salt, prefix));
        return new Encrypting(ciphertext, newCipher(), deriveKey(keyId, salt, contentId), prefix);
    }

    /** Returns a stream of the plaintext; reading throws {@link ContentIntegrityException} at the first bad segment. */
    public InputStream decrypt(InputStream ciphertext, String contentId) throws IOException {
        byte[] magic = ciphertext.readNBytes(MAGIC.length + 2);
        if (magic.length < MAGIC.length + 2 || !Arrays.equals(Arrays.copyOf(magic, MAGIC.length), MAGIC)) {
            throw new ContentIntegrityException("content " + contentId + " is not in the content store format");
        }
        if (magic[MAGIC.length] != VERSION) {
            throw new ContentIntegrityException("content " + contentId + " has unknown format version " + magic[MAGIC.length]);
        }
        int keyIdLength = magic[MAGIC.length + 1] & 0xff;
        String keyId = new String(readFully(ciphertext, keyIdLength, contentId), StandardCharsets.US_ASCII);
        byte[] salt = readFully(ciphertext, SALT_BYTES, contentId);
        byte[] prefix = readFully(ciphertext, PREFIX_BYTES, contentId);
        if (!keys.ids().contains(keyId)) {
            throw new ContentIntegrityException("content " + contentId + " was written with key '" + keyId
                    + "', which is not in the key ring " + keys.ids());
        }
        return new Decrypting(ciphertext, newCipher(), deriveKey(keyId, salt, contentId), prefix, contentId);
    }

    private byte[] header(String keyId, byte[] salt, byte[] prefix) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.write(id.length);
        out.writeBytes(id);
        out.writeBytes(salt);
        out.writeBytes(prefix);
        return out.toByteArray();
    }

    private SecretKeySpec deriveKey(String keyId, byte[] salt, String contentId) {
        byte[] info = ("amtsbote content v1\0" + keyId + "\0" + contentId).getBytes(StandardCharsets.UTF_8);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(keys.key(keyId), salt, info));
        byte[] okm = new byte[32];
        hkdf.generateBytes(okm, 0, okm.length);
        return new SecretKeySpec(okm, "AES");
    }

    private static byte[] nonce(byte[] prefix, long segment, boolean last) {
        if (segment > 0xFFFF_FFFFL) {
            throw new IllegalStateException("content exceeds 2^32 segments");
        }
        return ByteBuffer.allocate(12).put(prefix).putInt((int) segment).put((byte) (last ? 1 : 0)).array();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static byte[] readFully(InputStream in, int n, String contentId) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new ContentIntegrityException("content " + contentId + " is truncated in its header");
        }
        return b;
    }

    /** Buffers one segment; a full segment is sealed only when more data follows, so the last flag is always right. */
    private static final class Encrypting extends FilterOutputStream {
        private final Cipher cipher;
        private final SecretKeySpec key;
        private final byte[] prefix;
        private final byte[] plain = new byte[SEGMENT_BYTES];
        private final byte[] sealed = new byte[SEGMENT_BYTES + TAG_BYTES];
        private int filled;
        private long segment;
        private boolean closed;

        Encrypting(OutputStream out, Cipher cipher, SecretKeySpec key, byte[] prefix) {
            super(out);
            this.cipher = cipher;
            this.key = key;
            this.prefix = prefix;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("content stream is closed");
            }
            while (len > 0) {
                if (filled == SEGMENT_BYTES) {
                    seal(false);
                }
                int n = Math.min(len, SEGMENT_BYTES - filled);
                System.arraycopy(b, off, plain, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (OutputStream target = out) {
                seal(true);
                target.flush();
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, segment, last)));
                int n = cipher.doFinal(plain, 0, filled, sealed, 0);
                out.write(sealed, 0, n);
            } catch (GeneralSecurityException e) {
                throw new IOException("content encryption failed at segment " + segment, e);
            }
            segment++;
            filled = 0;
        }
    }

    /** Reads one sealed segment plus one byte ahead, to know whether the segment is the last. */
    private static final class Decrypting extends InputStream {
        private final InputStream in;
        private final Cipher cipher;
        private final SecretKeySpec key;
        private final byte[] prefix;
        private final String contentId;
        private final byte[] sealed = new byte[SEGMENT_BYTES + TAG_BYTES + 1];
        private final byte[] plain = new byte[SEGMENT_BYTES];
        private int sealedFilled;
        private int plainPos;
        private int plainLimit;
        private long segment;
        private boolean finished;

        Decrypting(InputStream in, Cipher cipher, SecretKeySpec key, byte[] prefix, String contentId) {
            this.in = in;
            this.cipher = cipher;
            this.key = key;
            this.prefix = prefix;
            this.contentId = contentId;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (plainPos == plainLimit) {
                if (finished) {
                    return -1;
                }
                openNextSegment();
            }
            int n = Math.min(len, plainLimit - plainPos);
            System.arraycopy(plain, plainPos, b, off, n);
            plainPos += n;
            return n;
        }

        private void openNextSegment() throws IOException {
            while (sealedFilled < sealed.length) {
                int n = in.read(sealed, sealedFilled, sealed.length - sealedFilled);
                if (n < 0) {
                    break;
                }
                sealedFilled += n;
            }
            boolean last = sealedFilled < sealed.length;
            int length = last ? sealedFilled : sealed.length - 1;
            if (length < TAG_BYTES) {
                throw new ContentIntegrityException("content " + contentId + " is truncated at segment " + segment);
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, segment, last)));
                plainLimit = cipher.doFinal(sealed, 0, length, plain, 0);
                plainPos = 0;
            } catch (AEADBadTagException e) {
                throw new ContentIntegrityException("content " + contentId + " failed authentication at segment "
                        + segment + " (altered, truncated, reordered or stored under another id)");
            } catch (GeneralSecurityException e) {
                throw new IOException("content decryption failed at segment " + segment, e);
            }
            if (last) {
                finished = true;
            } else {
                sealed[0] = sealed[sealed.length - 1];
                sealedFilled = 1;
            }
            segment++;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
