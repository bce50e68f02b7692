package de.amtsbote.adapter.bebpo;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A mailbox as the directory lists it (contract section 1). The directory is trusted for <em>which</em> certificate;
 * each is validated by the PKI when it is used.
 *
 * @param bebpo                  whether it is an authority's mailbox (besonderes elektronisches Behördenpostfach)
 * @param originCertificate      the VHN certificate of a beBPo, else null
 * @param signatureCertificate   the mailbox holder's signature certificate, or null when the directory lists none
 */
record MailboxEntry(String id, String name, boolean bebpo, URI intermediary, X509Certificate intermediaryCertificate,
                    X509Certificate encryptionCertificate, X509Certificate signatureCertificate,
                    X509Certificate originCertificate) {
    MailboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(intermediary, "intermediary");
        Objects.requireNonNull(intermediaryCertificate, "intermediaryCertificate");
    }

    /** Who signs the origin signature of this mailbox's deliveries: its origin certificate for a beBPo. */
    X509Certificate originSigner() {
        return bebpo && originCertificate != null ? originCertificate : signatureCertificate;
    }
}
