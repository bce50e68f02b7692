package de.amtsbote.gateway.outbox;

/** The kinds of durable work in the outbox. */
public enum WorkKind {
    /** Hand a delivery to its channel. */
    DISPATCH,
    /** End a delivery as EXPIRED if the receipt it waits for has not come. */
    EXPIRE,
    /** Send the retrieval receipt for an inbound message a client system took. */
    CONFIRM_RETRIEVAL
}
