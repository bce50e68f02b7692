package de.amtsbote.gateway.quarantine;

/** Who put an item into quarantine, which decides whether its channel can check it again. */
public enum QuarantineOrigin {
    /** A channel handed it in exactly as received: the channel can check it again. */
    CHANNEL,
    /**
     * The gateway itself could not accept it (a receipt no delivery claimed within a day, a message an adapter handed in
     * for no participant): its raw content is what the gateway kept, not the item as received, so it cannot be checked
     * again by the channel.
     */
    GATEWAY
}
