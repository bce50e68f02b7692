package de.amtsbote.crypto.validation;

/** What a certificate is about to be used for; validation checks its key usage and extended key usage for it. */
public enum CertificateUsage {
    /** Verifying a message signature (S/MIME, OSCI content): digitalSignature or contentCommitment. */
    MESSAGE_SIGNATURE,
    /** Encrypting a message to the certificate's key: keyEncipherment (RSA) or keyAgreement (EC). */
    MESSAGE_ENCRYPTION,
    /** Verifying evidence, process cards, De-Mail confirmations: digitalSignature or contentCommitment. */
    EVIDENCE_SIGNATURE,
    /** A TLS server's certificate: serverAuth. */
    TLS_SERVER,
    /** A TLS client's certificate: clientAuth. */
    TLS_CLIENT
}
