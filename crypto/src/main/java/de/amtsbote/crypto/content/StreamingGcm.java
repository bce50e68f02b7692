package de.amtsbote.crypto.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import org.bouncycastle.crypto.modes.gcm.BasicGCMExponentiator;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.GCMUtil;
import org.bouncycastle.util.Pack;

/**
 * AES-GCM over streamed message content (CMS AuthEnvelopedData, XML Encryption 1.1 binary parts) on the JDK's AES,
 * which the JVM compiles to the CPU's AES and carry-less multiplication instructions and which runs many times faster
 * than Bouncy Castle's Java AES. Used by the CMS and XML packages of the crypto core; the formats stay theirs: a 96-bit
 * nonce, a 128-bit tag written (a 96- to 128-bit one accepted), NIST SP 800-38D GCM.
 *
 * <h2>Encryption</h2>
 * The JDK's {@code AES/GCM/NoPadding} streams when it encrypts: ciphertext comes out of {@code update} as it goes, the
 * tag at {@code doFinal}. {@link #encrypt} uses it as it is, a fresh {@link Cipher} per message.
 *
 * <h2>Decryption</h2>
 * The JDK's GCM holds back all plaintext while it decrypts, until the tag at the end is checked: unusable for a
 * message larger than the heap. {@link #decrypt} therefore takes GCM apart into its two halves (SP 800-38D 7.2):
 * <ul>
 *   <li><b>Confidentiality</b>: GCM encrypts with CTR mode, {@code C = GCTR(inc32(J0), P)}; for a 96-bit nonce
 *   {@code N}, {@code J0 = N || 0x00000001}, so the first counter block is {@code N || 0x00000002}. The plaintext is
 *   recovered with the JDK's {@code AES/CTR/NoPadding} started at that block, as the ciphertext streams in, and
 *   handed out at once. The JDK's CTR increments the whole 128-bit block, GCM's {@code inc32} only its low 32 bits;
 *   the two agree as long as the low 32 bits do not wrap, that is for fewer than 2^32 - 2 blocks, which is GCM's own
 *   length limit ({@link #MAX_CONTENT_BYTES}); longer input is refused.
 *   <li><b>Authenticity</b>: the tag is {@code T = MSB_t(E_K(J0) xor GHASH_H(A, C))}, a function of key, nonce, AAD
 *   and ciphertext alone. The recovered plaintext {@code P'} is fed into a second, fresh JDK {@code AES/GCM/NoPadding}
 *   cipher in ENCRYPT mode with the same key, nonce and AAD. That cipher computes {@code C' = GCTR(inc32(J0), P')}
 *   with the very key stream CTR decryption used, so {@code C' = C xor KS xor KS = C} byte for byte, the last
 *   partial block included; its GHASH therefore runs over exactly the received ciphertext and the lengths, and its
 *   tag is the tag a GCM decryptor recomputes. Its ciphertext output (equal to the input received) is discarded; its
 *   tag, truncated to the received tag's length as SP 800-38D truncates ({@code MSB_t}), is compared with the
 *   received tag in constant time ({@link MessageDigest#isEqual}). The check is thus GCM's own check, with GCM's
 *   security: a forger must produce a valid tag for a ciphertext of his choice without the key. Nothing is released
 *   that a streaming GCM decryptor would not release (CTR plaintext of the received ciphertext); the re-encryption
 *   under the same nonce produces only the received ciphertext again and never leaves this class.
 * </ul>
 * The price is a second AES pass (CTR, then GCM's own CTR and GHASH), both in the CPU's instructions; still several
 * times faster than one pass of Bouncy Castle's GCM. The tag arrives after the ciphertext; the last tag-length bytes of
 * the stream are held back and compared at the end. Whole blocks of plaintext are released as they arrive; the final
 * partial block (when the length is not a multiple of 16) only once the tag matched, which is what Bouncy Castle's
 * GCM releases too. <b>Plaintext is untrusted until the stream has returned its end (-1)</b>: a mismatch, or a stream
 * too short to hold a tag, throws {@link IntegrityException} there, and everything read before must be discarded.
 *
 * <p>AAD may be given at any time before the end, even after the content (CMS AuthEnvelopedData carries its
 * authenticated attributes after the ciphertext). GHASH is linear, so the tag computed without AAD is corrected at the
 * end: with {@code u} AAD blocks and {@code v} ciphertext blocks, {@code GHASH_H(A, C) = GHASH_H(, C) xor
 * GHASH_H(A) * H^(v+1) xor (len(A) || 0^64) * H} in GF(2^128), where {@code H = E_K(0^128)}.
 *
 * <p>Instances are single-use and not thread-safe; the static methods are.
 */
public final class StreamingGcm {

    /** The 96-bit nonce: the only size whose counter blocks CTR mode can reproduce. */
    public static final int NONCE_BYTES = 12;
    /** The tag written: 128 bits. */
    public static final int TAG_BYTES = 16;
    /** The shortest tag accepted: 96 bits (BSI TR-02102-1 (2025-01) 2.1). */
    public static final int MIN_TAG_BYTES = 12;
    /** GCM's limit for one message: 2^32 - 2 blocks of plaintext (SP 800-38D 5.2.1.1). */
    public static final long MAX_CONTENT_BYTES = ((1L << 32) - 2) * 16;
    /** AAD is small (CMS authenticated attributes); more than this is refused. */
    static final int MAX_AAD_BYTES = 1 << 20;

    private static final int CHUNK = 64 * 1024;
    private static final int BLOCK = 16;
    private static final String GCM = "AES/GCM/NoPadding";
    private static final String CTR = "AES/CTR/NoPadding";
    private static final String ECB = "AES/ECB/NoPadding";
    /**
     * The JDK's provider of AES, whose implementation the JIT replaces by AES-NI / VAES and (V)PCLMULQDQ code; if a
     * runtime lacks it, whatever the JCA offers first.
     */
    private static final Provider JDK_AES = Security.getProvider("SunJCE");

    private StreamingGcm() {
    }

    /** Starts encrypting one message with this key and nonce; never call it twice with the same pair. */
    public static Encryption encrypt(SecretKey key, byte[] nonce) throws GeneralSecurityException {
        Objects.requireNonNull(key, "key");
        requireNonce(nonce);
        Cipher gcm = cipher(GCM);
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        return new Encryption(gcm);
    }

    /** Starts decrypting one message whose ciphertext is followed by a tag of {@code tagBytes} (12 to 16) bytes. */
    public static Decryption decrypt(SecretKey key, byte[] nonce, int tagBytes) throws GeneralSecurityException {
        Objects.requireNonNull(key, "key");
        requireNonce(nonce);
        if (tagBytes < MIN_TAG_BYTES || tagBytes > TAG_BYTES) {
            throw new IllegalArgumentException("a GCM tag of " + tagBytes + " bytes; " + MIN_TAG_BYTES + " to "
                    + TAG_BYTES + " are accepted");
        }
        byte[] counter = Arrays.copyOf(nonce, BLOCK);
        counter[BLOCK - 1] = 2; // inc32(J0) for J0 = nonce || 0x00000001
        Cipher ctr = cipher(CTR);
        ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
        // a fresh instance: the JDK refuses to encrypt twice with one Cipher under the same key and nonce
        Cipher gcm = cipher(GCM);
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        return new Decryption(key, ctr, gcm, tagBytes);
    }

    private static void requireNonce(byte[] nonce) {
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("a GCM nonce of " + nonce.length + " bytes; the JDK path takes "
                    + NONCE_BYTES);
        }
    }

    private static Cipher cipher(String transformation) throws GeneralSecurityException {
        return JDK_AES != null ? Cipher.getInstance(transformation, JDK_AES) : Cipher.getInstance(transformation);
    }

    /** The content failed authentication: altered, truncated, or not for this key. Discard what was read. */
    public static final class IntegrityException extends IOException {
        IntegrityException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ encryption

    /** One message being encrypted. */
    public static final class Encryption {
        private final Cipher gcm;
        private boolean started;
        private byte[] tag;

        private Encryption(Cipher gcm) {
            this.gcm = gcm;
        }

        /** Takes AAD; all of it must come before the content. */
        public OutputStream aadStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    if (started) {
                        throw new IllegalStateException("GCM encryption takes AAD before the content only");
                    }
                    gcm.updateAAD(b, off, len);
                }
            };
        }

        /**
         * A stream that writes the ciphertext of what is written to it to {@code out}. Closing it finishes GCM,
         * writes the tag after the ciphertext if {@code appendTag} (else it is only {@linkplain #tag() kept}), and
         * closes {@code out}.
         */
        public OutputStream stream(OutputStream out, boolean appendTag) {
            Objects.requireNonNull(out, "out");
            if (started) {
                throw new IllegalStateException("one GCM encryption has one content stream");
            }
            started = true;
            return new Encrypting(out, appendTag);
        }

        /** The 128-bit tag, once the content stream is closed. */
        public byte[] tag() {
            if (tag == null) {
                throw new IllegalStateException("the GCM tag exists once the content stream is closed");
            }
            return tag.clone();
        }

        private final class Encrypting extends OutputStream {
            private final OutputStream out;
            private final boolean appendTag;
            private final byte[] buffer = new byte[CHUNK + 2 * BLOCK];
            private long written;
            private boolean closed;

            Encrypting(OutputStream out, boolean appendTag) {
                this.out = out;
                this.appendTag = appendTag;
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (closed) {
                    throw new IOException("the GCM content stream is closed");
                }
                if (len > MAX_CONTENT_BYTES - written) {
                    throw new IOException("the content exceeds GCM's limit of " + MAX_CONTENT_BYTES + " bytes");
                }
                written += len;
                try {
                    while (len > 0) {
                        int n = Math.min(len, CHUNK);
                        int produced = gcm.update(b, off, n, buffer, 0);
                        out.write(buffer, 0, produced);
                        off += n;
                        len -= n;
                    }
                } catch (GeneralSecurityException e) {
                    throw new IOException("AES-GCM encryption failed: " + e.getMessage(), e);
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
                try (out) {
                    byte[] last = gcm.doFinal();
                    int ciphertext = last.length - TAG_BYTES;
                    out.write(last, 0, ciphertext);
                    tag = Arrays.copyOfRange(last, ciphertext, last.length);
                    if (appendTag) {
                        out.write(tag);
                    }
                } catch (GeneralSecurityException e) {
                    throw new IOException("AES-GCM encryption failed: " + e.getMessage(), e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ decryption

    /** One message being decrypted. */
    public static final class Decryption {
        private final SecretKey key;
        private final Cipher ctr;
        private final Cipher gcm;
        private final int tagBytes;
        private final ByteArrayOutputStream aad = new ByteArrayOutputStream();
        private boolean started;
        private byte[] receivedTag;

        private Decryption(SecretKey key, Cipher ctr, Cipher gcm, int tagBytes) {
            this.key = key;
            this.ctr = ctr;
            this.gcm = gcm;
            this.tagBytes = tagBytes;
        }

        /** Takes AAD, at any time before the content's end is read. */
        public OutputStream aadStream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (receivedTag != null) {
                        throw new IllegalStateException("AAD after the GCM tag was checked");
                    }
                    if (len > MAX_AAD_BYTES - aad.size()) {
                        throw new IOException("more than " + MAX_AAD_BYTES + " bytes of GCM additional data are"
                                + " refused");
                    }
                    aad.write(b, off, len);
                }
            };
        }

        /**
         * The plaintext of {@code ciphertextThenTag} (the ciphertext followed by the tag), released as it is
         * decrypted; reading its end checks the tag and throws {@link IntegrityException} on a mismatch.
         */
        public InputStream stream(InputStream ciphertextThenTag) {
            Objects.requireNonNull(ciphertextThenTag, "ciphertextThenTag");
            if (started) {
                throw new IllegalStateException("one GCM decryption has one content stream");
            }
            started = true;
            return new Decrypting(ciphertextThenTag);
        }

        /** The tag received, once the end of the content was read; else null. */
        public byte[] receivedTag() {
            return receivedTag == null ? null : receivedTag.clone();
        }

        /** The tag this key computes over ciphertext and AAD, with AAD given at any time (see the class doc). */
        private byte[] expectedTag(long contentBytes) throws GeneralSecurityException {
            byte[] last = gcm.doFinal();
            byte[] tag = Arrays.copyOfRange(last, last.length - TAG_BYTES, last.length);
            if (aad.size() > 0) {
                GCMUtil.xor(tag, aadCorrection(aad.toByteArray(), contentBytes));
            }
            return Arrays.copyOf(tag, tagBytes);
        }

        /** {@code GHASH_H(A) * H^(v+1) xor (len(A) || 0^64) * H}: what AAD adds to GHASH over the ciphertext. */
        private byte[] aadCorrection(byte[] a, long contentBytes) throws GeneralSecurityException {
            Cipher ecb = cipher(ECB);
            ecb.init(Cipher.ENCRYPT_MODE, key);
            byte[] h = ecb.doFinal(new byte[BLOCK]);
            BasicGCMMultiplier timesH = new BasicGCMMultiplier();
            timesH.init(h);
            byte[] ghashA = new byte[BLOCK];
            for (int i = 0; i < a.length; i += BLOCK) {
                GCMUtil.xor(ghashA, 0, a, i, Math.min(BLOCK, a.length - i));
                timesH.multiplyH(ghashA);
            }
            BasicGCMExponentiator powersOfH = new BasicGCMExponentiator();
            powersOfH.init(h);
            byte[] hPower = new byte[BLOCK];
            powersOfH.exponentiateX((contentBytes + BLOCK - 1) / BLOCK + 1, hPower);
            GCMUtil.multiply(ghashA, hPower);
            byte[] lengths = new byte[BLOCK];
            Pack.longToBigEndian(a.length * 8L, lengths, 0);
            timesH.multiplyH(lengths);
            GCMUtil.xor(ghashA, lengths);
            return ghashA;
        }

        private final class Decrypting extends InputStream {
            private final InputStream in;
            /** Received bytes not yet decrypted, in {@code [start, end)}; the last tagBytes may be the tag. */
            private final byte[] window = new byte[CHUNK + TAG_BYTES];
            private final byte[] discard = new byte[CHUNK + 2 * BLOCK];
            private int start;
            private int end;
            private long decrypted;
            private boolean inputEnded;
            /** The final partial block's plaintext, released only once the tag matched; null before. */
            private byte[] tail;
            private int tailPosition;
            private IOException failure;

            Decrypting(InputStream in) {
                this.in = in;
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
                if (failure != null) {
                    throw failure;
                }
                if (len == 0) {
                    return 0;
                }
                while (tail == null) {
                    int ciphertext = end - start - tagBytes;
                    if (!inputEnded) {
                        // whole blocks only: the final partial block waits for the tag, as Bouncy Castle's GCM
                        // has it wait, so that no more unauthenticated plaintext goes out than there did
                        long known = decrypted + ciphertext;
                        long ready = known - known % BLOCK - decrypted;
                        if (ready > 0) {
                            int n = (int) Math.min(ready, len);
                            decrypt(b, off, n);
                            return n;
                        }
                        fill();
                        continue;
                    }
                    if (ciphertext < 0) {
                        throw fail("the ciphertext ends before its " + tagBytes * 8 + "-bit GCM tag: truncated");
                    }
                    int wholeBlocks = ciphertext - (int) ((decrypted + ciphertext) % BLOCK);
                    if (wholeBlocks > 0) {
                        int n = Math.min(wholeBlocks, len);
                        decrypt(b, off, n);
                        return n;
                    }
                    byte[] last = new byte[ciphertext];
                    decrypt(last, 0, ciphertext);
                    authenticate();
                    tail = last;
                }
                if (tailPosition == tail.length) {
                    return -1;
                }
                int n = Math.min(len, tail.length - tailPosition);
                System.arraycopy(tail, tailPosition, b, off, n);
                tailPosition += n;
                return n;
            }

            @Override
            public int available() {
                if (failure != null) {
                    return 0;
                }
                if (tail != null) {
                    return tail.length - tailPosition;
                }
                long known = decrypted + Math.max(0, end - start - tagBytes);
                return (int) Math.max(0, known - known % BLOCK - decrypted);
            }

            @Override
            public void close() throws IOException {
                if (tail == null && failure == null) {
                    failure = new IOException("the GCM content stream was closed before its tag was checked");
                }
                in.close();
            }

            private void fill() throws IOException {
                if (start > 0) {
                    System.arraycopy(window, start, window, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int n = in.read(window, end, window.length - end);
                if (n < 0) {
                    inputEnded = true;
                } else {
                    end += n;
                }
            }

            private void decrypt(byte[] b, int off, int n) throws IOException {
                if (n > MAX_CONTENT_BYTES - decrypted) {
                    throw fail("the ciphertext is longer than GCM allows (" + MAX_CONTENT_BYTES + " bytes)");
                }
                try {
                    if (ctr.update(window, start, n, b, off) != n) {
                        throw new IllegalStateException("the JDK's AES-CTR held back key stream");
                    }
                    gcm.update(b, off, n, discard, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the JDK's AES refused a buffer of its own size", e);
                }
                start += n;
                decrypted += n;
            }

            private void authenticate() throws IOException {
                byte[] received = Arrays.copyOfRange(window, start, start + tagBytes);
                byte[] expected;
                try {
                    expected = expectedTag(decrypted);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the JDK's AES-GCM could not finish", e);
                }
                receivedTag = received;
                if (!MessageDigest.isEqual(expected, received)) {
                    throw fail("the GCM tag does not match: the content was altered, truncated, or is not for"
                            + " this key");
                }
            }

            private IntegrityException fail(String message) {
                IntegrityException e = new IntegrityException(message);
                failure = e;
                return e;
            }
        }
    }
}
