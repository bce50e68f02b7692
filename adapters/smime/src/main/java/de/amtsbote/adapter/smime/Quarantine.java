package de.amtsbote.adapter.smime;

/**
 * Why an inbound mail is quarantined. Each reason starts the quarantine text with its label, followed by the detail
 * ("revoked signer: signer 1 (CN=…): certificate revoked on …"), so that operators, tests and log searches can rely
 * on the label. Stable: changing a label is a change of the outside contract.
 */
enum Quarantine {
    /** The signature does not verify: the content was changed, or the signature value is wrong. */
    BAD_SIGNATURE("bad signature"),
    /** The signer's certificate does not chain to a configured trust anchor. */
    UNKNOWN_CA("unknown CA"),
    /** The signer's certificate is revoked. */
    REVOKED_SIGNER("revoked signer"),
    /** The signer's certificate is otherwise not valid (expired, wrong key usage, no revocation status). */
    INVALID_SIGNER_CERTIFICATE("invalid signer certificate"),
    /** Signed with SHA-1 (refused by the algorithm policy, BSI TR-02102-1). */
    SHA1_SIGNATURE("SHA-1 signature"),
    /** Another algorithm refused by the policy (3DES, a short key, a SHA-1 KDF). */
    REFUSED_ALGORITHM("refused algorithm"),
    /** Encrypted, but for none of the keys of the addressed participants. */
    ENCRYPTED_FOR_ANOTHER_KEY("encrypted for another key"),
    /** Encrypted for our key, but it does not decrypt (tampered ciphertext, bad key data). */
    UNDECRYPTABLE("cannot decrypt"),
    /** The MIME or CMS structure is broken (headers, boundaries, transfer encodings). */
    MALFORMED_MIME("malformed MIME"),
    /** An S/MIME form the reader does not open (compressed-data, certs-only, too deep nesting). */
    UNSUPPORTED_SMIME("unsupported S/MIME"),
    /** Larger than max-message-size. */
    OVERSIZED("oversized"),
    /** A line break or another control character in the subject or a file name (header injection). */
    CONTROL_CHARACTERS("control characters"),
    /** No recipient of the mail is one of the gateway's participants. */
    NOT_ADDRESSED_TO_A_PARTICIPANT("not addressed to a participant"),
    /** Not signed, while the channel requires signatures (require-signature). */
    UNSIGNED("unsigned"),
    /** A receipt that names no message we sent, or one we no longer remember. */
    UNKNOWN_RECEIPT("receipt for an unknown message"),
    /** An ESS signed receipt whose signature or content does not match the message we sent. */
    INVALID_RECEIPT("invalid ESS receipt");

    private final String label;

    Quarantine(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    String because(String detail) {
        return label + ": " + detail;
    }
}
