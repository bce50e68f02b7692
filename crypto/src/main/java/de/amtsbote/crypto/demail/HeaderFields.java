package de.amtsbote.crypto.demail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The header block of a mail exactly as it stands: each field with its name, colon, value and folding, as bytes
 * (held as ISO-8859-1 text, which maps every byte to one character, so nothing is changed). Reading stops after the
 * empty line that ends the block, so the stream is then at the first byte of the body.
 *
 * <p>The De-Mail integrity field signs fields "exactly as they stand" (DKIM simple canonicalisation), which no MIME
 * parser keeps; hence this small reader.
 */
public final class HeaderFields {

    /** The header block is refused beyond this size: the fields are held in memory. */
    public static final int MAX_BYTES = 256 * 1024;

    private final List<String> fields;

    private HeaderFields(List<String> fields) {
        this.fields = List.copyOf(fields);
    }

    /** Builds the block from complete fields (without their final CRLF), e.g. for a message being written. */
    public static HeaderFields of(List<String> fields) {
        return new HeaderFields(fields);
    }

    /**
     * Reads the header block and the empty line after it from {@code in}.
     *
     * @throws IntegrityException MALFORMED when the block is larger than {@value #MAX_BYTES} bytes, ends before the
     *                            empty line, or starts with a continuation line
     */
    public static HeaderFields read(InputStream in) throws IOException, IntegrityException {
        List<String> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long total = 0;
        boolean previousCr = false;
        while (true) {
            line.reset();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
                if (++total > MAX_BYTES) {
                    throw new IntegrityException(IntegrityCheck.MALFORMED, "the header block is longer than "
                            + MAX_BYTES + " bytes");
                }
            }
            if (b < 0) {
                throw new IntegrityException(IntegrityCheck.MALFORMED, "the mail ends inside its header block");
            }
            byte[] l = line.toByteArray();
            boolean cr = l.length > 0 && l[l.length - 1] == '\r';
            int length = cr ? l.length - 1 : l.length;
            if (length == 0) {
                if (field.size() > 0) {
                    fields.add(field.toString(StandardCharsets.ISO_8859_1));
                }
                return new HeaderFields(fields);
            }
            if (l[0] == ' ' || l[0] == '\t') {
                if (field.size() == 0) {
                    throw new IntegrityException(IntegrityCheck.MALFORMED, "the header block starts with a"
                            + " continuation line");
                }
                // the folding is kept as it stands: the line break before the continuation, then the continuation
                field.write(previousCr ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
            } else if (field.size() > 0) {
                fields.add(field.toString(StandardCharsets.ISO_8859_1));
                field.reset();
            }
            field.write(l, 0, length);
            previousCr = cr;
        }
    }

    /** Every field in order, each exactly as it stands without its final line break. */
    public List<String> all() {
        return fields;
    }

    /** The first (topmost) field of this name, compared without case, exactly as it stands. */
    public Optional<String> first(String name) {
        for (String f : fields) {
            if (nameOf(f).equalsIgnoreCase(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The value of the first field of this name: unfolded (line breaks removed) and trimmed. */
    public Optional<String> value(String name) {
        return first(name).map(HeaderFields::valueOf);
    }

    /** Whether a field of this name is present. */
    public boolean has(String name) {
        return first(name).isPresent();
    }

    static String nameOf(String field) {
        int colon = field.indexOf(':');
        return (colon < 0 ? field : field.substring(0, colon)).trim();
    }

    static String valueOf(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(colon + 1).replace("\r\n", "").replace("\n", "").trim();
    }

    @Override
    public String toString() {
        return fields.stream().map(f -> nameOf(f).toLowerCase(Locale.ROOT)).toList().toString();
    }
}
