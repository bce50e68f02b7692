package de.amtsbote.sandbox.loopback;

/**
 * A request the peer refuses, with the HTTP status it answers and the text of its {@code {"error": …}} document.
 * The in-JVM methods of {@link LoopbackPeer} throw it too, so tests see the same refusal either way.
 */
public final class PeerException extends RuntimeException {

    private final int status;

    PeerException(int status, String message) {
        super(message);
        this.status = status;
    }

    static PeerException badRequest(String message) {
        return new PeerException(400, message);
    }

    static PeerException notFound(String message) {
        return new PeerException(404, message);
    }

    static PeerException unknownMailbox(String mailbox) {
        return notFound("unknown mailbox " + mailbox);
    }

    /** The HTTP status the peer answers with. */
    public int status() {
        return status;
    }
}
