package de.amtsbote.sandbox.osci;

import java.util.Objects;

/**
 * A SOAP 1.2 fault of the beBPo contract (section 6): raised by the intermediary and sent as a fault, or received by
 * a sandbox peer from an intermediary and thrown to the caller of {@link OsciPeer#send}.
 */
public final class OsciFaultException extends Exception {

    /** The contract's fault subcodes ({@code osci:<name>}) and whose fault each is. */
    public enum Subcode {
        Malformed(true), SignatureInvalid(true), CertificateInvalid(true), RequestReplayed(true),
        NotForThisIntermediary(true), UnknownAddressee(true), MessageIdUnknown(true), MessageIdUsed(true),
        OriginInvalid(true), NotAddressee(true), TooLarge(true), Unavailable(false);

        private final boolean sender;

        Subcode(boolean sender) {
            this.sender = sender;
        }

        /** {@code soap:Sender} (the caller's fault, HTTP 400) or {@code soap:Receiver} (HTTP 500). */
        public boolean senderFault() {
            return sender;
        }
    }

    private final Subcode subcode;
    private final String reason;

    public OsciFaultException(Subcode subcode, String reason) {
        super("osci:" + subcode + ": " + reason);
        this.subcode = Objects.requireNonNull(subcode, "subcode");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Subcode subcode() {
        return subcode;
    }

    /** The fault's Reason text. */
    public String reason() {
        return reason;
    }

    static OsciFaultException malformed(String reason) {
        return new OsciFaultException(Subcode.Malformed, reason);
    }
}
