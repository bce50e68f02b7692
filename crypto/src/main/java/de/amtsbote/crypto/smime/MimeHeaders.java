package de.amtsbote.crypto.smime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The header block of a MIME entity (RFC 2045, RFC 5322 2.2), read from a stream up to and including the blank line,
 * and kept as the exact bytes read so that an entity can be passed on unchanged. Lines may end in CRLF or a bare LF
 * (OpenSSL writes S/MIME headers with LF). Only what S/MIME needs is parsed: Content-Type with its parameters and
 * Content-Transfer-Encoding.
 */
final class MimeHeaders {

    /** Header blocks are small; a longer one is a broken or hostile entity. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private final byte[] raw;
    private final List<String[]> fields;

    private MimeHeaders(byte[] raw, List<String[]> fields) {
        this.raw = raw;
        this.fields = fields;
    }

    /** Reads the header block; the stream is left at the first byte of the body. */
    static MimeHeaders read(InputStream in) throws IOException, MimeException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        List<String> lines = new ArrayList<>();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (raw.size() == 0) {
                    throw new MimeException("the entity is empty");
                }
                throw new MimeException("the entity ends inside its headers");
            }
            raw.write(b);
            if (raw.size() > MAX_HEADER_BYTES) {
                throw new MimeException("the header block is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1);
                if (l.endsWith("\r")) {
                    l = l.substring(0, l.length() - 1);
                }
                line.reset();
                if (l.isEmpty()) {
                    break;
                }
                lines.add(l);
            } else {
                line.write(b);
            }
        }
        List<String[]> fields = new ArrayList<>();
        for (String l : lines) {
            if ((l.startsWith(" ") || l.startsWith("\t"))) {
                if (fields.isEmpty()) {
                    throw new MimeException("the header block starts with a continuation line");
                }
                String[] last = fields.get(fields.size() - 1);
                last[1] = last[1] + " " + l.strip();
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new MimeException("not a header field: \"" + abbreviate(l) + "\"");
            }
            fields.add(new String[] {l.substring(0, colon).strip(), l.substring(colon + 1).strip()});
        }
        return new MimeHeaders(raw.toByteArray(), fields);
    }

    /** The header block exactly as read, including the blank line that ends it. */
    byte[] raw() {
        return raw.clone();
    }

    Optional<String> get(String name) {
        return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).map(f -> f[1]).findFirst();
    }

    /** The Content-Type; text/plain if absent (RFC 2045 5.2). */
    ContentType contentType() throws MimeException {
        return ContentType.parse(get("Content-Type").orElse("text/plain"));
    }

    /** The Content-Transfer-Encoding in lower case; 7bit if absent. */
    String transferEncoding() {
        return get("Content-Transfer-Encoding").orElse("7bit").strip().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** A parsed Content-Type: lower-case type/subtype and parameters (names lower case, values unquoted). */
    record ContentType(String mimeType, Map<String, String> parameters) {

        static ContentType parse(String value) throws MimeException {
            List<String> parts = split(value);
            String type = parts.get(0).strip().toLowerCase(Locale.ROOT);
            if (!type.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")) {
                throw new MimeException("not a media type: \"" + abbreviate(value) + "\"");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (String p : parts.subList(1, parts.size())) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                params.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), v);
            }
            return new ContentType(type, Map.copyOf(params));
        }

        Optional<String> parameter(String name) {
            return Optional.ofNullable(parameters.get(name));
        }

        boolean is(String... types) {
            for (String t : types) {
                if (mimeType.equals(t)) {
                    return true;
                }
            }
            return false;
        }

        /** Splits at semicolons outside quoted strings. */
        private static List<String> split(String value) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && quoted && i + 1 < value.length()) {
                    cur.append(c).append(value.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                }
                if (c == ';' && !quoted) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            return out;
        }
    }
}
