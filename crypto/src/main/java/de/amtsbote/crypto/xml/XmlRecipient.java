package de.amtsbote.crypto.xml;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Someone XML is encrypted for: their encryption certificate, and who they are to the policy (a participant id or
 * channel address; null when no peer exception can apply). The caller has validated the certificate for
 * {@code MESSAGE_ENCRYPTION} before.
 */
public record XmlRecipient(X509Certificate certificate, String peer) {
    public XmlRecipient {
        Objects.requireNonNull(certificate, "certificate");
    }

    public static XmlRecipient of(X509Certificate certificate) {
        return new XmlRecipient(certificate, null);
    }

    String name() {
        return certificate.getSubjectX500Principal().getName();
    }
}
