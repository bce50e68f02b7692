package de.amtsbote.crypto.keys;

/**
 * Where a key stands in its life. A key is generated {@link #PENDING}, becomes {@link #ACTIVE} when its certificate
 * is imported, goes to {@link #OVERLAP} when a successor is activated (it still decrypts what partners encrypted to
 * its certificate before they learnt the new one), and ends {@link #RETIRED}.
 */
public enum KeyState {
    /** Generated in the store, waiting for its certificate; holds a self-signed placeholder meanwhile. */
    PENDING,
    /** The key in use for its owner and purpose: it signs, and it decrypts first. At most one per owner and purpose. */
    ACTIVE,
    /** Replaced, but still decrypting until the end of the overlap ({@link KeyInfo#overlapUntil()}). */
    OVERLAP,
    /** No longer used for anything; it stays in the store (nothing is ever exported or silently destroyed). */
    RETIRED
}
