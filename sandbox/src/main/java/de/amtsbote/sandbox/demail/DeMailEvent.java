package de.amtsbote.sandbox.demail;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a provider's log ({@code demail-log.jsonl}): what happened and the facts that go with it.
 *
 * <p>Events and their usual fields: {@code accepted} (account, from, to, messageId = Message-ID, demailMessageId,
 * subject, options, signed), {@code refused} (account, from, to, reply), {@code duplicate} (account, messageId),
 * {@code tls-refused} (reason), {@code deposited} (to, demailMessageId, messageType), {@code confirmation-issued}
 * (type, to, about = the original's X-de-mail-message-id), {@code notification-issued} (type, to, about, text),
 * {@code secure-login} (mailbox, confirmations), {@code e2e-opened} (to, valid, detail), {@code fault} (what).
 *
 * @param time  when
 * @param event what
 * @param data  the facts, all strings
 */
public record DeMailEvent(Instant time, String event, Map<String, String> data) {

    public DeMailEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        data = Map.copyOf(data);
    }

    /** A fact, or null. */
    public String get(String key) {
        return data.get(key);
    }
}
