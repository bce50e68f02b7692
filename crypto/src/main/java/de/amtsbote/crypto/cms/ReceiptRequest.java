package de.amtsbote.crypto.cms;

import java.util.List;
import java.util.Objects;

/**
 * Asks every recipient of a signed message for an ESS signed receipt (RFC 2634 2.7: receiptsFrom allReceipts), to be
 * sent to the given addresses. The signer adds a fresh signedContentIdentifier for every message.
 *
 * @param receiptsTo where receipts go (rfc822 addresses, 1 to 16)
 */
public record ReceiptRequest(List<String> receiptsTo) {

    public ReceiptRequest {
        receiptsTo = List.copyOf(receiptsTo);
        if (receiptsTo.isEmpty() || receiptsTo.size() > Ess.MAX_RECEIPTS_TO) {
            throw new IllegalArgumentException("a receipt request names 1 to " + Ess.MAX_RECEIPTS_TO
                    + " addresses for receipts, not " + receiptsTo.size());
        }
        receiptsTo.forEach(a -> Objects.requireNonNull(a, "receipt address"));
    }

    public static ReceiptRequest to(String... addresses) {
        return new ReceiptRequest(List.of(addresses));
    }
}
