package de.amtsbote.adapter.loopback;

import java.nio.charset.StandardCharsets;

/**
 * The protocol's encoding for text in headers (subject, reference, the fields of {@code X-Parts}): UTF-8,
 * percent-encoded as in RFC 3986. Unreserved characters stay, every other byte becomes {@code %XX}, so a header
 * value is plain ASCII and {@code ;} and {@code ,} never clash with the separators of {@code X-Parts}.
 */
final class HeaderText {

    private HeaderText() {
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
