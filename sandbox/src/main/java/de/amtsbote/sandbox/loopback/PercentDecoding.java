package de.amtsbote.sandbox.loopback;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the protocol's percent-encoded UTF-8 text (header values, X-Parts fields, URL path segments).
 * Strict on purpose: a malformed escape or invalid UTF-8 is the sender's bug and is answered with 400, never guessed.
 * {@code +} is a literal plus sign, not a space (RFC 3986, not HTML forms).
 */
final class PercentDecoding {

    private PercentDecoding() {
    }

    static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("incomplete %-escape at the end of '" + text + "'");
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("malformed %-escape '" + text.substring(i, i + 3) + "'");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c >= 0x20 && c < 0x7f) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("character U+" + String.format("%04X", (int) c)
                        + " must be percent-encoded as UTF-8");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("'" + text + "' does not decode to UTF-8 text", e);
        }
    }
}
