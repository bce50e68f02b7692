package de.amtsbote.adapter.mail;

import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text that becomes or came from a mail header: the subject, the file reference, file names. Outbound, text with a
 * line break or another control character is refused (it would let a client system add headers of its own, RFC 5322
 * header injection); everything else is encoded per RFC 2047 (unstructured fields) or RFC 2231 (parameters) so that
 * the mail stays 7-bit. Inbound, the same characters in decoded text are a reason to quarantine the mail.
 */
public final class HeaderText {

    /** Longest header line written; RFC 5322 2.1.1 recommends 78, and folding keeps most lines near it. */
    private static final int FOLD_AT = 76;
    /** Beyond this, an unfolded word is encoded so that no line passes the 998-octet limit. */
    private static final int LONGEST_PLAIN_WORD = 900;

    private HeaderText() {
    }

    /**
     * The first control character (Unicode Cc: C0, DEL, C1, which includes CR, LF and TAB) or line/paragraph separator
     * in {@code text}, as {@code U+000A}, or null if there is none.
     */
    public static String controlCharacter(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return String.format("U+%04X", cp);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * An unstructured header field ({@code Subject}), folded: as it is when it is printable ASCII that cannot be
     * mistaken for an encoded word, else RFC 2047 encoded words in UTF-8. The caller checked for control characters.
     */
    public static String unstructured(String name, String value) {
        boolean plain = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !value.contains("=?")
                && longestWord(value) <= LONGEST_PLAIN_WORD;
        String text;
        if (plain) {
            text = value;
        } else {
            try {
                text = MimeUtility.encodeText(value, "UTF-8", null);
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is always supported", e);
            }
        }
        return name + ": " + MimeUtility.fold(name.length() + 2, text);
    }

    /**
     * A parameter in RFC 2231 form, {@code ; name*=UTF-8''…}, split into continuations ({@code name*0*=…}) so that
     * lines stay short; each piece on its own folded line.
     */
    public static String extendedParameter(String name, String value) {
        StringBuilder encoded = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            String piece = c > 0x20 && c < 0x7f && "*'%()<>@,;:\\\"/[]?= ".indexOf(c) < 0
                    ? String.valueOf((char) c) : String.format("%%%02X", c);
            if (encoded.length() + piece.length() > 60) {
                pieces.add(encoded.toString());
                encoded.setLength(0);
            }
            encoded.append(piece);
        }
        pieces.add(encoded.toString());
        StringBuilder out = new StringBuilder();
        if (pieces.size() == 1) {
            return ";\r\n\t" + name + "*=UTF-8''" + pieces.get(0);
        }
        for (int i = 0; i < pieces.size(); i++) {
            out.append(";\r\n\t").append(name).append('*').append(i).append("*=")
                    .append(i == 0 ? "UTF-8''" : "").append(pieces.get(i));
        }
        return out.toString();
    }

    /** An unstructured header value as received: unfolded and RFC 2047 decoded (undecodable words stay as they are). */
    public static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        String unfolded = raw.replace("\r\n", "").replace("\n", "");
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (UnsupportedEncodingException e) {
            return unfolded;
        }
    }

    private static int longestWord(String value) {
        int longest = 0;
        for (String word : value.split(" ")) {
            longest = Math.max(longest, word.length());
        }
        return longest;
    }
}
