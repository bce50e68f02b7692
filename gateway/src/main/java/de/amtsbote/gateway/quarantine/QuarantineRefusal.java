package de.amtsbote.gateway.quarantine;

import java.util.List;

/**
 * An operator's decision on a quarantined item that cannot be carried out, and why. The console shows it in the
 * person's language by its {@link Kind} (text key {@code quarantine.problem.<kind>}) with {@link #arguments()}; the
 * message is the same in English for the log.
 */
public class QuarantineRefusal extends RuntimeException {

    public enum Kind {
        /** No quarantined item has this id. */
        UNKNOWN,
        /** The item was already released or rejected (arguments: status, by whom, when). */
        DECIDED,
        /** The gateway made the item itself; its channel cannot check it again. */
        NOT_RECHECKABLE,
        /** The item's channel is not active in this gateway (argument: channel). */
        CHANNEL_INACTIVE,
        /** The channel cannot check the item again (argument: the channel's words). */
        CHANNEL_REFUSED,
        /** The channel could not check the item now (argument: the channel's words); nothing changed. */
        CHANNEL_UNAVAILABLE,
        /** A rejection needs a reason. */
        REASON_MISSING,
        /** A rejection's reason is too long (argument: the most characters). */
        REASON_TOO_LONG
    }

    private final Kind kind;
    private final List<Object> arguments;

    public QuarantineRefusal(Kind kind, String message, Object... arguments) {
        super(message);
        this.kind = kind;
        this.arguments = List.of(arguments);
    }

    public Kind kind() {
        return kind;
    }

    public List<Object> arguments() {
        return arguments;
    }
}
