package de.amtsbote.gateway.submission;

import de.amtsbote.spi.DeliveryOption;
import java.util.List;
import java.util.Set;

/**
 * The {@code envelope} part of a submission, validated. {@code options} defaults to signed and encrypted with no
 * receipts: a channel that cannot sign or encrypt refuses the message unless the client says it may go unsigned
 * or unencrypted.
 */
record Envelope(String sender, List<String> recipients, String subject, String body, String reference,
                Set<DeliveryOption> options) {

    Envelope {
        recipients = List.copyOf(recipients);
        options = Set.copyOf(options);
    }

    /** The state the requested receipts lead to, or null when the client asked for none. */
    String awaiting() {
        if (options.contains(DeliveryOption.RETRIEVAL_RECEIPT)) {
            return "RETRIEVED";
        }
        if (options.contains(DeliveryOption.DELIVERY_RECEIPT)) {
            return "DELIVERED";
        }
        return null;
    }
}
