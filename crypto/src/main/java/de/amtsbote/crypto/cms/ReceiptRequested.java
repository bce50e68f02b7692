package de.amtsbote.crypto.cms;

import java.util.HexFormat;
import java.util.List;

/**
 * A signer asked for an ESS signed receipt (RFC 2634 2.7), with what a receipt for it must refer to. Found in a
 * {@link SignerResult}; pass it to {@link CmsReceipts#writeReceipt} once the message was accepted.
 *
 * @param signedContentIdentifier    the identifier the receipt must repeat
 * @param firstTierOnly              receiptsFrom firstTierRecipients (only recipients not reached via a mailing list)
 * @param receiptList                receiptsFrom receiptList: only these should answer; empty for allOrFirstTier
 * @param receiptsTo                 where receipts go
 * @param contentType                the eContentType of the signed message (object identifier)
 * @param originatorSignatureValue   the signature value of the requesting SignerInfo
 * @param originatorSignedAttributes the DER of that SignerInfo's signed attributes (for the msgSigDigest)
 */
public record ReceiptRequested(byte[] signedContentIdentifier, boolean firstTierOnly, List<String> receiptList,
                               List<String> receiptsTo, String contentType, byte[] originatorSignatureValue,
                               byte[] originatorSignedAttributes) {

    public ReceiptRequested {
        signedContentIdentifier = signedContentIdentifier.clone();
        receiptList = List.copyOf(receiptList);
        receiptsTo = List.copyOf(receiptsTo);
        originatorSignatureValue = originatorSignatureValue.clone();
        originatorSignedAttributes = originatorSignedAttributes.clone();
    }

    @Override
    public byte[] signedContentIdentifier() {
        return signedContentIdentifier.clone();
    }

    @Override
    public byte[] originatorSignatureValue() {
        return originatorSignatureValue.clone();
    }

    @Override
    public byte[] originatorSignedAttributes() {
        return originatorSignedAttributes.clone();
    }

    /** Whether a recipient with this address is asked to answer (RFC 2634 2.7 receiptsFrom). */
    public boolean asks(String address) {
        return receiptList.isEmpty() || receiptList.stream().anyMatch(a -> a.equalsIgnoreCase(address));
    }

    @Override
    public String toString() {
        return "receipt requested (" + HexFormat.of().formatHex(signedContentIdentifier) + ") to " + receiptsTo;
    }
}
