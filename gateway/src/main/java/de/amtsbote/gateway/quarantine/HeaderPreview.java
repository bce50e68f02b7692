package de.amtsbote.gateway.quarantine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The From and Subject of a raw quarantined item, read so that an operator recognises it in a list. The item is
 * untrusted (it is in quarantine because a check failed): at most {@value #MAX_HEADER_BYTES} bytes of the header block
 * are read, only header lines of the plain {@code Name: value} form count, encoded words (RFC 2047) are decoded, every
 * control or formatting character (line breaks, bidirectional overrides) becomes a space, and the text is cut at
 * {@value #MAX_TEXT} characters. The result is plain text for display only — never a basis for a decision.
 */
final class HeaderPreview {

    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_TEXT = 200;
    private static final Pattern FIELD = Pattern.compile("([!-9;-~]{1,76}):(.*)", Pattern.DOTALL);
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]{1,40})\\?([bBqQ])\\?([^?\\s]*)\\?=");
    private static final Pattern BETWEEN_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");

    /** What could be read; a field that could not be read is null. */
    record Preview(String sender, String subject) {
        static final Preview NONE = new Preview(null, null);
    }

    private HeaderPreview() {
    }

    /** Reads the preview from the start of a raw item; anything that is not a mail header block gives nothing. */
    static Preview read(InputStream in) throws IOException {
        String block = new String(in.readNBytes(MAX_HEADER_BYTES), StandardCharsets.UTF_8);
        Fields fields = new Fields();
        String field = null;
        for (String line : block.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                break; // the end of the header block
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (field == null) {
                    break;
                }
                field = field + line;
                continue;
            }
            fields.take(field);
            if (!FIELD.matcher(line).matches()) {
                field = null;
                break; // not a header line: whatever this is, nothing after it is read
            }
            field = line;
        }
        fields.take(field);
        return new Preview(fields.sender, fields.subject);
    }

    /** The first From and the first Subject of the block. */
    private static final class Fields {
        String sender;
        String subject;

        void take(String field) {
            Matcher m = field == null ? null : FIELD.matcher(field);
            if (m == null || !m.matches()) {
                return;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (name.equals("from") && sender == null) {
                sender = clean(decode(m.group(2)));
            } else if (name.equals("subject") && subject == null) {
                subject = clean(decode(m.group(2)));
            }
        }
    }

    /** Decodes RFC 2047 encoded words; a word that cannot be decoded stays as it is. */
    static String decode(String value) {
        String joined = BETWEEN_WORDS.matcher(value).replaceAll("$1$2");
        Matcher m = ENCODED_WORD.matcher(joined);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String decoded;
            try {
                Charset charset = Charset.forName(m.group(1).split("\\*", 2)[0]);
                byte[] bytes = m.group(2).equalsIgnoreCase("B") ? Base64.getDecoder().decode(m.group(3))
                        : quoted(m.group(3));
                decoded = new String(bytes, charset);
            } catch (IllegalArgumentException e) {
                decoded = m.group(); // an unknown charset or a broken encoding: shown as it stands
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static byte[] quoted(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length()) {
                out.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 2;
            } else if (c == '=') {
                throw new IllegalArgumentException("a cut-off =XX in a Q-encoded word");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** Control and formatting characters become spaces, runs of spaces one, and the text is cut to size. */
    static String clean(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean unsafe = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE || type == Character.UNASSIGNED
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            b.appendCodePoint(unsafe ? ' ' : cp);
        });
        String clean = b.toString().replaceAll(" {2,}", " ").strip();
        if (clean.isEmpty()) {
            return null;
        }
        return clean.codePointCount(0, clean.length()) <= MAX_TEXT ? clean
                : clean.substring(0, clean.offsetByCodePoints(0, MAX_TEXT - 1)) + "…";
    }
}
