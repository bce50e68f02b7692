package de.amtsbote.spi;

/**
 * Where an adapter hands what it received. Every method returns only after the item is durably stored (or
 * throws): an adapter acknowledges an item to the remote side only after the call returned, so that a crash
 * in between means the item is fetched again, never lost. Calling twice with the same item is harmless.
 */
public interface InboundSink {

    /** A verified, decrypted message for one of the gateway's participants. */
    Stored accept(InboundMessage message);

    /** A receipt for an outbound delivery: matched by {@link TransportReceipt#transportReference()}. */
    void receipt(TransportReceipt receipt);

    /**
     * A transport's proof about a message the gateway received (De-Mail: the recipient's copy of the signed
     * Eingangs- or Abholbestätigung), kept with the inbound message of this channel whose
     * {@link InboundMessage#transportId()} it names. Hand it in only after verifying it as completely as a receipt
     * for an outbound delivery, including that it is about the message as the gateway received it.
     *
     * <p>The message need not be stored yet: the proof is kept on its own and found with the message when that is
     * read. Durable when this returns. Idempotent: the same proof (same channel, transport id, event and proof
     * bytes) handed in again is recognised and stored once.
     */
    void inboundProof(InboundProof proof);

    /**
     * Something that arrived but cannot be accepted: undecryptable, badly signed, addressed to nobody we serve.
     * It is kept with its reason for an operator to look at, never dropped.
     */
    void quarantine(QuarantinedMessage message);

    /** Whether the message was new or had been stored before (a redelivery). */
    enum Stored { NEW, DUPLICATE }
}
