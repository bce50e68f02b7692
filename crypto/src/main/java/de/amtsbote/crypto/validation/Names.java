package de.amtsbote.crypto.validation;

import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/** How results name certificates, usages and revocation reasons for people. */
final class Names {

    private static final String[] CRL_REASONS = {"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
        "superseded", "cessationOfOperation", "certificateHold", "unused(7)", "removeFromCRL", "privilegeWithdrawn",
        "aACompromise"};

    private Names() {
    }

    /** The subject as RFC 2253 text: "CN=Poststelle,O=Stadt Musterhausen,C=DE". */
    static String of(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /** "message signature" for {@link CertificateUsage#MESSAGE_SIGNATURE}. */
    static String of(CertificateUsage usage) {
        return usage.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The RFC 5280 name of a CRL reason code ("keyCompromise"). */
    static String crlReason(int code) {
        return code >= 0 && code < CRL_REASONS.length ? CRL_REASONS[code] : "reason " + code;
    }
}
