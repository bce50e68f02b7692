package de.amtsbote.gateway.audit;

import java.util.Map;
import java.util.TreeMap;

/**
 * The small JSON object of an entry, written once with sorted keys and kept as text: the hash covers the stored
 * characters, so nobody has to agree on a JSON canonicalisation to verify it.
 */
public final class AuditDetail {

    private static final int MAX_VALUE = 500;
    private final Map<String, Object> fields = new TreeMap<>();

    private AuditDetail() {
    }

    public static AuditDetail of() {
        return new AuditDetail();
    }

    /** Adds a field; null values are left out, long strings shortened. */
    public AuditDetail with(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    public String json() {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            quote(b, k);
            b.append(':');
            if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                String s = v.toString();
                quote(b, s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE - 1) + "…" : s);
            }
        });
        return b.append('}').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
