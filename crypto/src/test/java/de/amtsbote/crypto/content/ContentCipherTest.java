package de.amtsbote.crypto.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentCipherTest {

    private static final int SEG = ContentCipher.SEGMENT_BYTES;
    private static final int SEALED = SEG + ContentCipher.TAG_BYTES;

    private final ContentCipher cipher = new ContentCipher(ring("k1", 1));

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG, 3 * SEG + 17})
    void decryptsWhatItEncryptedAtEverySegmentBoundary(int size) throws IOException {
        byte[] plain = random(size, size);
        assertThat(decrypt(cipher, encrypt(cipher, plain, "c1"), "c1")).isEqualTo(plain);
    }

    @Property(tries = 40)
    void roundTripsAnyContentWrittenInAnyChunking(@ForAll @IntRange(max = 300_000) int size,
                                                  @ForAll @IntRange(min = 1, max = 70_000) int chunk) throws IOException {
        byte[] plain = random(size, size ^ chunk);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = cipher.encrypt(stored, "c")) {
            for (int off = 0; off < size; off += chunk) {
                out.write(plain, off, Math.min(chunk, size - off));
            }
        }
        assertThat(decrypt(cipher, stored.toByteArray(), "c")).isEqualTo(plain);
    }

    @Test
    void storedFormDoesNotContainThePlaintext() throws IOException {
        byte[] plain = "Bescheid über die Hundesteuer 2026, Aktenzeichen 0815".repeat(100).getBytes();
        byte[] stored = encrypt(cipher, plain, "c1");
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Hundesteuer");
    }

    @Test
    void sameContentEncryptsDifferentlyEachTime() throws IOException {
        byte[] plain = random(1000, 1);
        assertThat(encrypt(cipher, plain, "c1")).isNotEqualTo(encrypt(cipher, plain, "c1"));
    }

    @Test
    void rejectsAFlippedBitAndNamesTheSegment() throws IOException {
        byte[] stored = encrypt(cipher, random(3 * SEG, 2), "c1");
        stored[headerLength() + SEALED + 100] ^= 0x01; // inside segment 1
        assertThatThrownBy(() -> decrypt(cipher, stored, "c1"))
                .isInstanceOf(ContentIntegrityException.class)
                .hasMessageContaining("segment 1");
    }

    @Test
    void rejectsContentCutAtASegmentBoundary() throws IOException {
        byte[] stored = encrypt(cipher, random(3 * SEG, 3), "c1");
        byte[] cut = Arrays.copyOf(stored, headerLength() + 2 * SEALED);
        assertThatThrownBy(() -> decrypt(cipher, cut, "c1"))
                .isInstanceOf(ContentIntegrityException.class)
                .hasMessageContaining("failed authentication at segment 1");
    }

    @Test
    void rejectsContentCutInsideATag() throws IOException {
        byte[] stored = encrypt(cipher, random(10, 4), "c1");
        byte[] cut = Arrays.copyOf(stored, stored.length - 20);
        assertThatThrownBy(() -> decrypt(cipher, cut, "c1")).isInstanceOf(ContentIntegrityException.class);
    }

    @Test
    void rejectsSwappedSegments() throws IOException {
        byte[] stored = encrypt(cipher, random(3 * SEG, 5), "c1");
        int h = headerLength();
        byte[] swapped = stored.clone();
        System.arraycopy(stored, h, swapped, h + SEALED, SEALED);
        System.arraycopy(stored, h + SEALED, swapped, h, SEALED);
        assertThatThrownBy(() -> decrypt(cipher, swapped, "c1"))
                .isInstanceOf(ContentIntegrityException.class)
                .hasMessageContaining("segment 0");
    }

    @Test
    void rejectsContentStoredUnderAnotherId() throws IOException {
        byte[] stored = encrypt(cipher, random(100, 6), "attachment-a");
        assertThatThrownBy(() -> decrypt(cipher, stored, "attachment-b"))
                .isInstanceOf(ContentIntegrityException.class)
                .hasMessageContaining("attachment-b");
    }

    @Test
    void rejectsContentThatIsNotInTheStoreFormat() {
        assertThatThrownBy(() -> decrypt(cipher, "plain text".getBytes(), "c1"))
                .isInstanceOf(ContentIntegrityException.class)
                .hasMessageContaining("not in the content store format");
    }

    @Test
    void namesAMissingKey() throws IOException {
        byte[] stored = encrypt(new ContentCipher(ring("old", 7)), random(10, 7), "c1");
        assertThatThrownBy(() -> decrypt(cipher, stored, "c1"))
                .isInstanceOf(ContentIntegrityException.class)
                .hasMessageContaining("'old'");
    }

    @Test
    void oldContentStaysReadableAfterANewKeyIsAdded() throws IOException {
        byte[] oldKey = key(8);
        byte[] plain = random(5000, 8);
        byte[] stored = encrypt(new ContentCipher(ContentKeyRing.of(Map.of("content-2025", oldKey))), plain, "c1");

        ContentKeyRing rotated = ContentKeyRing.of(Map.of("content-2025", oldKey, "content-2026", key(9)));
        assertThat(rotated.currentId()).isEqualTo("content-2026");
        assertThat(decrypt(new ContentCipher(rotated), stored, "c1")).isEqualTo(plain);
    }

    @Test
    void aKeyThatIsNotTheOneUsedFailsAuthentication() throws IOException {
        byte[] stored = encrypt(new ContentCipher(ring("k1", 10)), random(10, 10), "c1");
        assertThatThrownBy(() -> decrypt(new ContentCipher(ring("k1", 11)), stored, "c1"))
                .isInstanceOf(ContentIntegrityException.class);
    }

    private int headerLength() {
        return 4 + 1 + 1 + "k1".length() + 32 + 7;
    }

    static ContentKeyRing ring(String id, int seed) {
        return ContentKeyRing.of(Map.of(id, key(seed)));
    }

    static byte[] key(int seed) {
        return random(32, seed * 31 + 7);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] encrypt(ContentCipher cipher, byte[] plain, String id) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = cipher.encrypt(stored, id)) {
            out.write(plain);
        }
        return stored.toByteArray();
    }

    static byte[] decrypt(ContentCipher cipher, byte[] stored, String id) throws IOException {
        try (InputStream in = cipher.decrypt(new ByteArrayInputStream(stored), id)) {
            return in.readAllBytes();
        }
    }
}
