package de.amtsbote.adapter.bebpo;

/**
 * A SOAP 1.2 fault from an intermediary (contract section 6): {@code soap:Sender} (the caller's fault) or
 * {@code soap:Receiver} (the intermediary's), an {@code osci:} subcode and the reason in words.
 */
final class OsciFault extends Exception {

    private final boolean sender;
    private final String subcode;
    private final String reason;

    OsciFault(boolean sender, String subcode, String reason) {
        super((sender ? "soap:Sender" : "soap:Receiver") + (subcode == null ? "" : " osci:" + subcode) + ": "
                + reason);
        this.sender = sender;
        this.subcode = subcode;
        this.reason = reason;
    }

    /** Whether the intermediary blames the request ({@code soap:Sender}): repeating it will not help. */
    boolean sender() {
        return sender;
    }

    /** The local name of the {@code osci:} subcode ({@code MessageIdUsed}), or null. */
    String subcode() {
        return subcode;
    }

    String reason() {
        return reason;
    }

    boolean is(String subcode) {
        return subcode.equals(this.subcode);
    }
}
