package de.amtsbote.crypto.pki;

import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What a certificate is for, and so which key usages and extended key usages it carries (RFC 5280 4.2.1.3/4.2.1.12,
 * RFC 8550 for S/MIME). Used by the PKI generator and by CSRs, so that a CA issues what the policy later checks.
 */
public enum CertificateProfile {
    /** A certification authority: keyCertSign, cRLSign. */
    CA(KeyUsage.keyCertSign | KeyUsage.cRLSign, KeyUsage.keyCertSign | KeyUsage.cRLSign, List.of()),
    /** A participant's signing certificate: digitalSignature, contentCommitment; emailProtection. */
    SIGNING(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
            List.of(KeyPurposeId.id_kp_emailProtection)),
    /** A participant's encryption certificate: keyEncipherment (RSA) or keyAgreement (EC); emailProtection. */
    ENCRYPTION(KeyUsage.keyEncipherment, KeyUsage.keyAgreement, List.of(KeyPurposeId.id_kp_emailProtection)),
    /**
     * One key for both, as many partners' S/MIME certificates are: digitalSignature and keyEncipherment or
     * keyAgreement. Amtsbote's own keys are never issued like this; peers in tests and the sandbox are.
     */
    SIGNING_AND_ENCRYPTION(KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
            KeyUsage.digitalSignature | KeyUsage.keyAgreement, List.of(KeyPurposeId.id_kp_emailProtection)),
    /** The gateway's evidence signer: digitalSignature, contentCommitment. */
    EVIDENCE(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
            List.of()),
    /** A De-Mail provider's signer for confirmations and the integrity header. */
    PROVIDER(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
            List.of()),
    /** An OSCI intermediary: signs process cards, decrypts usage data. */
    INTERMEDIARY(KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyUsage.digitalSignature | KeyUsage.keyAgreement,
            List.of()),
    /** A TLS server. */
    TLS_SERVER(KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyUsage.digitalSignature,
            List.of(KeyPurposeId.id_kp_serverAuth)),
    /** A TLS client (mutual TLS, De-Mail provider login). */
    TLS_CLIENT(KeyUsage.digitalSignature, KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_clientAuth)),
    /** An OCSP responder delegated by its CA. */
    OCSP_RESPONDER(KeyUsage.digitalSignature, KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_OCSPSigning)),
    /** A time-stamping authority (RFC 3161: the extended key usage is critical). */
    TSA(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
            List.of(KeyPurposeId.id_kp_timeStamping));

    private final int rsaKeyUsage;
    private final int ecKeyUsage;
    private final List<KeyPurposeId> extendedKeyUsages;

    CertificateProfile(int rsaKeyUsage, int ecKeyUsage, List<KeyPurposeId> extendedKeyUsages) {
        this.rsaKeyUsage = rsaKeyUsage;
        this.ecKeyUsage = ecKeyUsage;
        this.extendedKeyUsages = extendedKeyUsages;
    }

    /** The key usage bits for a key of the given type ("RSA" or "EC"). */
    public KeyUsage keyUsage(String keyType) {
        return new KeyUsage("EC".equals(keyType) ? ecKeyUsage : rsaKeyUsage);
    }

    public List<KeyPurposeId> extendedKeyUsages() {
        return extendedKeyUsages;
    }

    /** RFC 3161 2.3: a TSA certificate's only extended key usage is timeStamping, and it is critical. */
    public boolean extendedKeyUsageCritical() {
        return this == TSA;
    }
}
