package de.amtsbote.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * A channel the load run measures: the recipient it sends to, the protection asked for, and the evidence event that
 * marks the delivery as done.
 */
enum Channel {

    /** Plain HTTP to the sandbox loopback peer, neither signed nor encrypted: the gateway's own overhead. */
    LOOPBACK(Installation.LOOPBACK_RECIPIENT, false, List.of()),
    /**
     * S/MIME sign-then-encrypt through the sandbox mail peers' SMTP relay; DELIVERED when the peer's signed MDN
     * {@code processed} came back and was verified.
     */
    SMIME(Installation.SMIME_RECIPIENT, true, List.of("delivery"));

    /** The evidence event of a relay's acceptance (SENT); only channels with a relay write it. */
    static final String SENT_EVENT = "RelayAcceptance";
    /** The evidence event of DELIVERED. */
    static final String DELIVERED_EVENT = "DeliveryAcceptance";

    final String recipient;
    final boolean protect;
    final List<String> receipts;

    Channel(String recipient, boolean protect, List<String> receipts) {
        this.recipient = recipient;
        this.protect = protect;
        this.receipts = receipts;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Channel of(String id) {
        for (Channel c : values()) {
            if (c.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown channel '" + id + "' (loopback, smime)");
    }

    /** The submission's envelope (JSON), message {@code n}. */
    String envelope(long n) {
        StringBuilder receiptList = new StringBuilder();
        for (String r : receipts) {
            receiptList.append(receiptList.isEmpty() ? "" : ", ").append('"').append(r).append('"');
        }
        return """
                {"sender": "%s", "recipients": ["%s"], "subject": "Lastmessung Bescheid Nr. %d",
                 "body": "Sehr geehrte Damen und Herren,\\nanbei erhalten Sie den Bescheid.", "reference": "BENCH-%d",
                 "options": {"sign": %b, "encrypt": %b, "receipts": [%s]}}"""
                .formatted(Installation.SENDER, recipient, n, n, protect, protect, receiptList);
    }
}
