package de.amtsbote.sandbox.demail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A message in a sandbox mailbox, as IMAP serves it: its header fields (first occurrence, names lower case, values
 * unfolded) and its bytes. For tests and the demo; mailbox content is in memory anyway (GreenMail).
 *
 * @param uid     the IMAP UID
 * @param headers lower-case field name → unfolded value of its first occurrence
 * @param raw     the message as stored
 */
public record DeMailMessage(long uid, Map<String, String> headers, byte[] raw) {

    public DeMailMessage {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static DeMailMessage of(long uid, byte[] raw) {
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            for (HeaderFields.Field f : HeaderFields.read(new ByteArrayInputStream(raw)).all()) {
                headers.putIfAbsent(f.name().toLowerCase(Locale.ROOT), f.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored message has an unreadable header block", e);
        }
        return new DeMailMessage(uid, headers, raw);
    }

    /** The unfolded value of the first field of this name (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The subject, RFC 2047 decoded. */
    public String subject() {
        return DeMailProvider.decode(header("Subject"));
    }

    /** {@code normal}, {@code confirmation of dispatch}, …, {@code notification}. */
    public String messageType() {
        return header("X-de-mail-message-type");
    }

    /** For notifications: {@code unknown-recipient}, {@code closed-account}, …; else null. */
    public String notificationType() {
        return header("X-de-mail-notification-type");
    }

    public byte[] raw() {
        return raw.clone();
    }
}
