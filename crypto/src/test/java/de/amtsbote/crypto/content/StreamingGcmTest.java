package de.amtsbote.crypto.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The JDK-based streaming GCM against Bouncy Castle's GCM as the reference: same ciphertext and tag when encrypting,
 * same plaintext when decrypting, and every change to ciphertext, tag or AAD caught at the end.
 */
class StreamingGcmTest {

    /** One GCM message made by Bouncy Castle: key, nonce, AAD, plaintext, and ciphertext || tag. */
    record Message(byte[] key, byte[] nonce, byte[] aad, byte[] plain, int tagBytes, byte[] sealed) {

        SecretKey secretKey() {
            return new SecretKeySpec(key, "AES");
        }

        static Message of(long seed, int length, int keyBytes, int aadLength, int tagBytes) {
            Random random = new Random(seed);
            byte[] key = bytes(random, keyBytes);
            byte[] nonce = bytes(random, StreamingGcm.NONCE_BYTES);
            byte[] aad = bytes(random, aadLength);
            byte[] plain = bytes(random, length);
            return new Message(key, nonce, aad, plain, tagBytes, bouncyCastle(true, key, nonce, aad, plain, tagBytes));
        }

        Message withSealed(byte[] other) {
            return new Message(key, nonce, aad, plain, tagBytes, other);
        }

        Message withAad(byte[] other) {
            return new Message(key, nonce, other, plain, tagBytes, sealed);
        }
    }

    static byte[] bouncyCastle(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] input, int tagBytes) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), tagBytes * 8, nonce, aad));
        byte[] out = new byte[gcm.getOutputSize(input.length)];
        int n = gcm.processBytes(input, 0, input.length, out, 0);
        try {
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Decrypts with the JDK path, AAD given before or after the content, read in pieces of {@code readSize}. */
    static byte[] decrypt(Message m, boolean aadFirst, int readSize) throws Exception {
        StreamingGcm.Decryption d = StreamingGcm.decrypt(m.secretKey(), m.nonce(), m.tagBytes());
        if (aadFirst) {
            d.aadStream().write(m.aad());
        }
        InputStream ciphertext = new ByteArrayInputStream(m.sealed());
        InputStream sealed = aadFirst ? ciphertext : new AadAtTheEnd(ciphertext, d.aadStream(), m.aad());
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (InputStream in = d.stream(sealed)) {
            byte[] buffer = new byte[readSize];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                plain.write(buffer, 0, n);
            }
        }
        return plain.toByteArray();
    }

    @Provide
    Arbitrary<Integer> lengths() {
        // empty, around the AES block, around the 64 KiB window of the decrypting stream, and anything up to 200 KB
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 15, 16, 17, 31, 32, 33, 4095, 4096, 4097, 65_519, 65_520, 65_535, 65_536,
                        65_537, 65_552, 131_072, 131_073),
                Arbitraries.integers().between(0, 200_000));
    }

    @Provide
    Arbitrary<Integer> keySizes() {
        return Arbitraries.of(16, 24, 32);
    }

    @Provide
    Arbitrary<Integer> readSizes() {
        return Arbitraries.of(1, 7, 16, 1000, 8192, 65_536, 300_000);
    }

    // ------------------------------------------------------------------ agreement with Bouncy Castle

    @Property(tries = 120)
    void decryptsWhatBouncyCastleEncrypted(@ForAll("lengths") int length, @ForAll("keySizes") int keyBytes,
                                           @ForAll @IntRange(min = 0, max = 100) int aadLength,
                                           @ForAll @IntRange(min = 12, max = 16) int tagBytes,
                                           @ForAll boolean aadFirst, @ForAll("readSizes") int readSize,
                                           @ForAll long seed) throws Exception {
        Message m = Message.of(seed, length, keyBytes, aadLength, tagBytes);

        assertThat(decrypt(m, aadFirst, readSize)).isEqualTo(m.plain());
    }

    @Property(tries = 60)
    void encryptsAsBouncyCastleDoes(@ForAll("lengths") int length, @ForAll("keySizes") int keyBytes,
                                    @ForAll @IntRange(min = 0, max = 100) int aadLength,
                                    @ForAll @IntRange(min = 1, max = 70_000) int writeSize,
                                    @ForAll long seed) throws Exception {
        Message m = Message.of(seed, length, keyBytes, aadLength, StreamingGcm.TAG_BYTES);
        StreamingGcm.Encryption e = StreamingGcm.encrypt(m.secretKey(), m.nonce());
        e.aadStream().write(m.aad());
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = e.stream(sealed, true)) {
            for (int off = 0; off < length; off += writeSize) {
                out.write(m.plain(), off, Math.min(writeSize, length - off));
            }
        }

        assertThat(sealed.toByteArray()).isEqualTo(m.sealed());
        assertThat(e.tag()).isEqualTo(Arrays.copyOfRange(m.sealed(), length, length + StreamingGcm.TAG_BYTES));
    }

    @Test
    void keepsTheTagApartWhenAskedTo() throws Exception {
        Message m = Message.of(1, 1000, 32, 0, StreamingGcm.TAG_BYTES);
        StreamingGcm.Encryption e = StreamingGcm.encrypt(m.secretKey(), m.nonce());
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream();
        try (OutputStream out = e.stream(ciphertext, false)) {
            out.write(m.plain());
        }

        assertThat(ciphertext.toByteArray()).isEqualTo(Arrays.copyOf(m.sealed(), 1000));
        assertThat(e.tag()).isEqualTo(Arrays.copyOfRange(m.sealed(), 1000, 1016));
    }

    @Test
    void closingTheEncryptingStreamClosesItsTarget() throws Exception {
        Message m = Message.of(2, 10, 32, 0, StreamingGcm.TAG_BYTES);
        boolean[] closed = {false};
        OutputStream target = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        StreamingGcm.encrypt(m.secretKey(), m.nonce()).stream(target, true).close();

        assertThat(closed[0]).isTrue();
    }

    @Test
    void refusesAadAfterTheContentWhenEncrypting() throws Exception {
        Message m = Message.of(3, 100, 32, 0, StreamingGcm.TAG_BYTES);
        StreamingGcm.Encryption e = StreamingGcm.encrypt(m.secretKey(), m.nonce());
        OutputStream out = e.stream(new ByteArrayOutputStream(), true);
        out.write(m.plain());

        assertThatThrownBy(() -> e.aadStream().write(1)).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ integrity

    @Property(tries = 150)
    void aFlippedBitAnywhereInCiphertextOrTagFailsAtTheEnd(@ForAll("lengths") int length,
                                                            @ForAll @IntRange(min = 12, max = 16) int tagBytes,
                                                            @ForAll @IntRange(min = 0, max = 40) int aadLength,
                                                            @ForAll boolean aadFirst, @ForAll long seed) {
        Message m = Message.of(seed, length, 32, aadLength, tagBytes);
        Random random = new Random(seed);
        byte[] sealed = m.sealed().clone();
        int position = random.nextInt(sealed.length);
        sealed[position] ^= (byte) (1 << random.nextInt(8));

        assertThatThrownBy(() -> decrypt(m.withSealed(sealed), aadFirst, 8192))
                .isInstanceOf(StreamingGcm.IntegrityException.class).hasMessageContaining("tag does not match");
    }

    @Property(tries = 60)
    void aTruncatedTagFails(@ForAll("lengths") int length, @ForAll @IntRange(min = 1, max = 16) int cut,
                            @ForAll long seed) {
        Message m = Message.of(seed, length, 32, 0, StreamingGcm.TAG_BYTES);
        byte[] truncated = Arrays.copyOf(m.sealed(), m.sealed().length - cut);

        assertThatThrownBy(() -> decrypt(m.withSealed(truncated), true, 8192))
                .isInstanceOf(StreamingGcm.IntegrityException.class);
    }

    @Property(tries = 60)
    void aChangedOrMissingAadFails(@ForAll("lengths") int length, @ForAll @IntRange(min = 1, max = 100) int aadLength,
                                   @ForAll boolean dropIt, @ForAll boolean aadFirst, @ForAll long seed) {
        Message m = Message.of(seed, length, 32, aadLength, StreamingGcm.TAG_BYTES);
        byte[] aad = m.aad().clone();
        aad[new Random(seed).nextInt(aad.length)] ^= 0x40;
        Message other = m.withAad(dropIt ? new byte[0] : aad);

        assertThatThrownBy(() -> decrypt(other, aadFirst, 8192)).isInstanceOf(StreamingGcm.IntegrityException.class);
    }

    @Test
    void aStreamShorterThanATagFails() {
        Message m = Message.of(4, 0, 32, 0, StreamingGcm.TAG_BYTES);

        assertThatThrownBy(() -> decrypt(m.withSealed(new byte[15]), true, 8192))
                .isInstanceOf(StreamingGcm.IntegrityException.class).hasMessageContaining("truncated");
    }

    @Test
    void anotherKeyFails() {
        Message m = Message.of(5, 5000, 32, 0, StreamingGcm.TAG_BYTES);
        byte[] otherKey = m.key().clone();
        otherKey[0] ^= 1;
        Message wrongKey = new Message(otherKey, m.nonce(), m.aad(), m.plain(), m.tagBytes(), m.sealed());

        assertThatThrownBy(() -> decrypt(wrongKey, true, 8192)).isInstanceOf(StreamingGcm.IntegrityException.class);
    }

    @Test
    void aFailureStaysWhenReadAgain() throws Exception {
        Message m = Message.of(6, 5000, 32, 0, StreamingGcm.TAG_BYTES);
        byte[] sealed = m.sealed().clone();
        sealed[sealed.length - 1] ^= 1;
        InputStream in = StreamingGcm.decrypt(m.secretKey(), m.nonce(), 16).stream(new ByteArrayInputStream(sealed));

        assertThatThrownBy(in::readAllBytes).isInstanceOf(StreamingGcm.IntegrityException.class);
        assertThatThrownBy(in::read).isInstanceOf(StreamingGcm.IntegrityException.class);
    }

    @Test
    void aStreamClosedBeforeItsEndNeverReportsAnEnd() throws Exception {
        Message m = Message.of(7, 100_000, 32, 0, StreamingGcm.TAG_BYTES);
        InputStream in = StreamingGcm.decrypt(m.secretKey(), m.nonce(), 16)
                .stream(new ByteArrayInputStream(m.sealed()));
        in.readNBytes(1000);
        in.close();

        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("closed before its tag");
    }

    // ------------------------------------------------------------------ streaming

    @Test
    void handsOutPlaintextBeforeTheEndArrives() throws Exception {
        Message m = Message.of(8, 1_000_000, 32, 0, StreamingGcm.TAG_BYTES);
        // the source fails after 300 KB: whatever was released before came without the rest of the message
        InputStream source = new ByteArrayInputStream(m.sealed()) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos >= 300_000) {
                    throw new IllegalStateException("read past what the test delivers");
                }
                return super.read(b, off, Math.min(len, 300_000 - pos));
            }
        };
        InputStream in = StreamingGcm.decrypt(m.secretKey(), m.nonce(), 16).stream(source);

        assertThat(in.readNBytes(200_000)).isEqualTo(Arrays.copyOf(m.plain(), 200_000));
    }

    @Test
    void withholdsTheFinalPartialBlockUntilTheTagMatches() throws Exception {
        Message m = Message.of(10, 100, 32, 0, StreamingGcm.TAG_BYTES);
        byte[] sealed = m.sealed().clone();
        sealed[sealed.length - 1] ^= 1;
        InputStream in = StreamingGcm.decrypt(m.secretKey(), m.nonce(), 16).stream(new ByteArrayInputStream(sealed));
        ByteArrayOutputStream released = new ByteArrayOutputStream();
        byte[] buffer = new byte[7];

        assertThatThrownBy(() -> {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                released.write(buffer, 0, n);
            }
        }).isInstanceOf(StreamingGcm.IntegrityException.class);
        assertThat(released.toByteArray()).isEqualTo(Arrays.copyOf(m.plain(), 96));
    }

    @Test
    void readsSingleBytes() throws Exception {
        Message m = Message.of(9, 40, 16, 5, 12);
        StreamingGcm.Decryption d = StreamingGcm.decrypt(m.secretKey(), m.nonce(), 12);
        d.aadStream().write(m.aad());
        InputStream in = d.stream(new ByteArrayInputStream(m.sealed()));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            plain.write(b);
        }

        assertThat(plain.toByteArray()).isEqualTo(m.plain());
        assertThat(d.receivedTag()).isEqualTo(Arrays.copyOfRange(m.sealed(), 40, 52));
    }

    // ------------------------------------------------------------------ parameters

    @Test
    void refusesNoncesOtherThanNinetySixBits() {
        SecretKey key = new SecretKeySpec(new byte[32], "AES");

        assertThatThrownBy(() -> StreamingGcm.decrypt(key, new byte[16], 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> StreamingGcm.encrypt(key, new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesTagsShorterThanNinetySixBits() {
        SecretKey key = new SecretKeySpec(new byte[32], "AES");

        assertThatThrownBy(() -> StreamingGcm.decrypt(key, new byte[12], 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 bytes");
    }

    /** Hands the AAD to the decryption when the ciphertext is exhausted, as CMS does with authenticated attributes. */
    static final class AadAtTheEnd extends InputStream {
        private final InputStream in;
        private final OutputStream aadStream;
        private final byte[] aad;
        private boolean given;

        AadAtTheEnd(InputStream sealed, OutputStream aadStream, byte[] aad) {
            this.in = sealed;
            this.aadStream = aadStream;
            this.aad = aad;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0 && !given) {
                given = true;
                aadStream.write(aad);
            }
            return n;
        }
    }
}
