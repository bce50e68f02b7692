package de.amtsbote.sandbox.demail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The header fields of a message exactly as they stand: each field's raw text (name, colon, value with its folding,
 * without the final CRLF) is kept byte for byte, because the integrity field hashes fields as they stand. Bytes are
 * read as ISO-8859-1 so that any byte survives the round trip; De-Mail header fields are ASCII (RFC 2047 for the rest).
 */
final class HeaderFields {

    /** A header block larger than this is refused: headers are held in memory, bodies never. */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    /** One field: its name as written, its raw text and its value unfolded (CRLF before whitespace removed). */
    record Field(String name, String raw) {
        String value() {
            String v = raw.substring(raw.indexOf(':') + 1).replace("\r\n", "");
            return v.strip();
        }

        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private final List<Field> fields;
    private final long headerBytes;

    private HeaderFields(List<Field> fields, long headerBytes) {
        this.fields = List.copyOf(fields);
        this.headerBytes = headerBytes;
    }

    /**
     * Reads the header block up to and including the empty line; the stream is then at the first body byte.
     *
     * @throws IOException when the block is too large, a line is not CRLF-terminated or a field has no colon
     */
    static HeaderFields read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        long total = 0;
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                }
                break; // a message of headers only: no empty line, no body
            }
            if (++total > MAX_HEADER_BYTES) {
                throw new IOException("the header block is larger than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\n') {
                if (previous != '\r') {
                    throw new IOException("a header line ends in a bare LF; lines end in CRLF");
                }
                line.setLength(line.length() - 1);
                if (line.length() == 0) {
                    break;
                }
                lines.add(line.toString());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
            previous = b;
        }
        List<Field> fields = new ArrayList<>();
        for (String l : lines) {
            if ((l.startsWith(" ") || l.startsWith("\t")) && !fields.isEmpty()) {
                Field last = fields.remove(fields.size() - 1);
                fields.add(new Field(last.name(), last.raw() + "\r\n" + l));
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || !l.substring(0, colon).matches("[!-9;-~]+")) {
                throw new IOException("the header line '" + shorten(l) + "' is not a field 'name: value'");
            }
            fields.add(new Field(l.substring(0, colon), l));
        }
        return new HeaderFields(fields, total);
    }

    static HeaderFields of(List<Field> fields) {
        return new HeaderFields(fields, -1);
    }

    List<Field> all() {
        return fields;
    }

    /** The first (topmost) field of this name: TR 01201-3.4, the first occurrence wins. */
    Optional<Field> first(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst();
    }

    /** The unfolded value of the first field of this name, or null. */
    String value(String name) {
        return first(name).map(Field::value).orElse(null);
    }

    long count(String name) {
        return fields.stream().filter(f -> f.is(name)).count();
    }

    long headerBytes() {
        return headerBytes;
    }

    /** The whole block as written, each field followed by CRLF, without the empty line. */
    byte[] bytes() {
        StringBuilder b = new StringBuilder();
        fields.forEach(f -> b.append(f.raw()).append("\r\n"));
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
