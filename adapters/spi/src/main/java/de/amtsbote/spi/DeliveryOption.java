package de.amtsbote.spi;

/**
 * What a sender may ask of a delivery. Each channel says which of these it honours
 * ({@link ChannelDescription#options()}).
 */
public enum DeliveryOption {
    /** The message is signed with the sender's key. */
    SIGN,
    /** The message is encrypted for the recipient. */
    ENCRYPT,
    /** Only the recipient in person may open it (De-Mail "persönlich"). */
    PERSONAL,
    /** A receipt that the sender's side sent it (De-Mail Versandbestätigung). */
    DISPATCH_RECEIPT,
    /** A receipt that it reached the recipient's mailbox (De-Mail Eingangsbestätigung, OSCI reception). */
    DELIVERY_RECEIPT,
    /** A receipt that the recipient took it (De-Mail Abholbestätigung, MDN, OSCI acknowledgement). */
    RETRIEVAL_RECEIPT
}
