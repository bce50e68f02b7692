package de.amtsbote.crypto.audit;

import java.util.Optional;

/**
 * Reads one whole-number field of an entry's detail, a flat JSON object ({@code {"head":"…","signed":true,"upTo":30}}):
 * strings (with escapes), numbers, {@code true}, {@code false}, {@code null}; nothing nested. Enough for the verifier,
 * which needs only {@code upTo} of a checkpoint's entry, and keeps crypto free of a JSON library. Anything else —
 * a detail somebody changed into something that is not such an object — reads as absent.
 */
final class FlatJson {

    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    /** The value of {@code key} if the text is a flat object and the value a whole number. */
    static Optional<Long> number(String json, String key) {
        try {
            return new FlatJson(json).find(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a flat object: the entry's hash check reports the change
        }
    }

    private Optional<Long> find(String key) {
        Optional<Long> found = Optional.empty();
        space();
        expect('{');
        space();
        if (peek() == '}') {
            i++;
            return end(found);
        }
        while (true) {
            space();
            String name = string();
            space();
            expect(':');
            space();
            char c = peek();
            if (c == '"') {
                string();
            } else if (c == '-' || Character.isDigit(c)) {
                String number = number();
                if (name.equals(key)) {
                    try {
                        found = Optional.of(Long.parseLong(number));
                    } catch (NumberFormatException e) {
                        found = Optional.empty(); // a fraction or an overflow is no seq
                    }
                }
            } else {
                literal();
            }
            space();
            char next = next();
            if (next == '}') {
                return end(found);
            }
            if (next != ',') {
                throw new IllegalArgumentException("expected , or } at " + (i - 1));
            }
        }
    }

    private Optional<Long> end(Optional<Long> found) {
        space();
        if (i != s.length()) {
            throw new IllegalArgumentException("text after the object at " + i);
        }
        return found;
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            } else {
                b.append(c);
            }
        }
    }

    private String number() {
        int start = i;
        while (i < s.length() && "-+.eE0123456789".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return s.substring(start, i);
    }

    private void literal() {
        for (String word : new String[] {"true", "false", "null"}) {
            if (s.startsWith(word, i)) {
                i += word.length();
                return;
            }
        }
        throw new IllegalArgumentException("unexpected value at " + i);
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
        }
    }
}
