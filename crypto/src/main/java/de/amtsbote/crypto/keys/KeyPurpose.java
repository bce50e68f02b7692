package de.amtsbote.crypto.keys;

/**
 * What a key is for. Keys are never shared between purposes: a signing key that also decrypted would let a
 * decryption oracle forge signatures, and an evidence key must not sign messages a partner could replay as evidence.
 */
public enum KeyPurpose {
    /** Signs outbound messages of a participant (S/MIME, OSCI content signature). Key usage digitalSignature. */
    SIGNING,
    /** Decrypts inbound messages of a participant. Key usage keyEncipherment (RSA) or keyAgreement (EC). */
    ENCRYPTION,
    /** Signs the gateway's evidence documents and audit checkpoints. Key usage digitalSignature, contentCommitment. */
    EVIDENCE,
    /** TLS client and server authentication (De-Mail provider connection, mutual TLS). */
    TLS
}
