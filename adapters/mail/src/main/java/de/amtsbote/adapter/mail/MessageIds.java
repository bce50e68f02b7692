package de.amtsbote.adapter.mail;

/**
 * Message-IDs as the channel uses them: the transport reference of a delivery and the transport id of an inbound
 * mail are the msg-id of RFC 5322 3.6.4 <em>with</em> its angle brackets ({@code <id-left@id-right>}), as the header
 * carries it and as MDNs quote it in {@code Original-Message-ID}.
 */
public final class MessageIds {

    private MessageIds() {
    }

    /**
     * The first msg-id in a header value ({@code Message-ID}, {@code Original-Message-ID}, {@code In-Reply-To}),
     * trimmed, with angle brackets; a bare {@code id@host} gets them added. Null when there is none or it contains
     * characters a msg-id cannot have (spaces, control characters, non-ASCII).
     */
    public static String normalize(String value) {
        if (value == null) {
            return null;
        }
        String v = value.replace("\r", "").replace("\n", "").trim();
        int open = v.indexOf('<');
        String id;
        if (open >= 0) {
            int close = v.indexOf('>', open);
            if (close < 0) {
                return null;
            }
            id = v.substring(open + 1, close).trim();
        } else {
            id = v.split("[ \t]", 2)[0];
        }
        int at = id.lastIndexOf('@');
        if (at <= 0 || at == id.length() - 1 || id.length() > 900) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>') {
                return null;
            }
        }
        return "<" + id + ">";
    }
}
