package de.amtsbote.sandbox.demail;

/** A provider refused a message a sandbox mailbox sent; the message is the SMTP reply it would have given. */
public final class DeMailRefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public DeMailRefusedException(String reply) {
        super(reply);
    }

    /** The reply code ({@code 554}). */
    public int code() {
        return Integer.parseInt(getMessage().substring(0, 3));
    }
}
