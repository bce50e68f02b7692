package de.amtsbote.crypto.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentKeyRingTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC);

    @Test
    void createsAKeyReadableOnlyByTheOwnerWhenAskedTo() throws IOException {
        ContentKeyRing ring = ContentKeyRing.load(dir, true, clock);

        assertThat(ring.currentId()).isEqualTo("content-20261123T101530Z");
        Path file = dir.resolve("content-20261123T101530Z.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesToStartWithoutAKeyUnlessAskedToCreateOne() {
        assertThatThrownBy(() -> ContentKeyRing.load(dir, false, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no content key");
    }

    @Test
    void loadingTwiceGivesTheSameKeys() {
        ContentKeyRing first = ContentKeyRing.load(dir, true, clock);
        ContentKeyRing second = ContentKeyRing.load(dir, true, Clock.offset(clock, java.time.Duration.ofDays(1)));
        assertThat(second.ids()).isEqualTo(first.ids());
        assertThat(second.key(first.currentId())).isEqualTo(first.key(first.currentId()));
    }

    @Test
    void theNewestGeneratedKeyBecomesCurrent() throws IOException {
        ContentKeyRing.load(dir, true, clock);
        String newer = ContentKeyRing.generate(dir, Clock.offset(clock, java.time.Duration.ofDays(90)));
        assertThat(ContentKeyRing.load(dir, false, clock).currentId()).isEqualTo(newer);
    }

    @Test
    void rejectsAKeyOfTheWrongLength() throws IOException {
        Files.writeString(dir.resolve("short.key"), "AAAA");
        assertThatThrownBy(() -> ContentKeyRing.load(dir, false, clock))
                .hasMessageContaining("'short' has 3 bytes, needs 32");
    }

    @Test
    void neverShowsKeyMaterial() {
        ContentKeyRing ring = ContentKeyRing.load(dir, true, clock);
        assertThat(ring.toString()).isEqualTo("ContentKeyRing[content-20261123T101530Z]");
    }
}
