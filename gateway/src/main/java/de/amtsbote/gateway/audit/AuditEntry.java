package de.amtsbote.gateway.audit;

import de.amtsbote.crypto.content.ContentDigester;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One link of the audit chain. {@link #hashOf} is the canonical encoding (docs/audit.md, "Canonical encoding"): the
 * line {@code amtsbote-audit-v1}, then every field as {@code <UTF-8 byte length>:<value>\n} in a fixed order, ending
 * with the previous entry's hash; SHA-256 over those bytes. Length prefixes keep two different entries from ever
 * encoding alike.
 *
 * @param subjects space-separated {@code kind:id} tokens ("message:… delivery:…"), may be empty
 * @param detail   a small JSON object, hashed as stored
 * @param previous the previous entry's hash (64 zeros before the first entry)
 */
public record AuditEntry(long seq, Instant time, String node, AuditActor actor, String action, String subjects,
                         String detail, String previous, String hash) {

    public static final String GENESIS = "0".repeat(64);
    static final String VERSION = "amtsbote-audit-v1";
    /** Times are hashed in one spelling: UTC, always six fraction digits (the database keeps microseconds). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    static Instant truncate(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    public static String hashOf(long seq, Instant time, String node, AuditActor actor, String action, String subjects,
                                String detail, String previous) {
        StringBuilder b = new StringBuilder(VERSION).append('\n');
        for (String field : new String[] {Long.toString(seq), TIME.format(time), node, actor.kind().name(), actor.id(),
                action, subjects, detail, previous}) {
            b.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field).append('\n');
        }
        return ContentDigester.hexOf(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The hash these fields should have; differs from {@link #hash()} when the entry was changed. */
    public String recomputedHash() {
        return hashOf(seq, time, node, actor, action, subjects, detail, previous);
    }
}
