package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.Providers;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Builds a certification path from a certificate to one of the configured trust anchors, through the intermediates
 * the caller has (from a CMS message, an XML signature) and those configured. Issuers are found by name, narrowed by
 * authority/subject key identifiers, and confirmed by their signature; a depth-first search with a step limit tries
 * alternatives (cross certificates, re-keyed CAs).
 *
 * <p>It builds the path itself instead of using {@code CertPathBuilder}: the JDK's builder also checks validity and
 * key usage while it searches and, when anything fails, says only "unable to find valid certification path", which
 * cannot be turned into a named reason. The path is validated afterwards, step by step, and finally once more by the
 * JDK's {@code CertPathValidator} for the rest of RFC 5280 (name constraints, policies, critical extensions).
 */
final class PathBuilder {

    /** At most this many intermediates between the certificate and its anchor (real paths have one to three). */
    static final int MAX_INTERMEDIATES = 8;
    /** Signature checks a single search may make, so that a crafted heap of intermediates cannot stall us. */
    private static final int MAX_STEPS = 256;

    /** A path from the certificate (first) up to, excluding, the anchor. */
    record Built(List<X509Certificate> path, X509Certificate anchor) {
    }

    private final List<X509Certificate> anchors;
    private final List<X509Certificate> configuredIntermediates;

    PathBuilder(List<X509Certificate> anchors, List<X509Certificate> configuredIntermediates) {
        this.anchors = List.copyOf(anchors);
        this.configuredIntermediates = List.copyOf(configuredIntermediates);
    }

    Built build(X509Certificate target, Collection<X509Certificate> intermediates) throws Refusal {
        if (anchors.contains(target)) {
            // A pinned certificate (a partner's self-signed S/MIME certificate configured as trust anchor).
            return new Built(List.of(), target);
        }
        LinkedHashSet<X509Certificate> pool = new LinkedHashSet<>(intermediates);
        pool.addAll(configuredIntermediates);
        pool.remove(target);
        anchors.forEach(pool::remove);
        Search search = new Search(List.copyOf(pool));
        List<X509Certificate> path = new ArrayList<>();
        path.add(target);
        Built built = search.from(path);
        if (built != null) {
            return built;
        }
        if (search.badSignature != null) {
            throw new Refusal(ValidationResult.Reason.BAD_SIGNATURE, search.badSignature);
        }
        throw new Refusal(ValidationResult.Reason.UNKNOWN_CA, unknownIssuer(target, search.deadEnd, pool.size()));
    }

    private String unknownIssuer(X509Certificate target, X509Certificate deadEnd, int offered) {
        X509Certificate end = deadEnd == null ? target : deadEnd;
        if (end == target && selfIssued(target)) {
            return Names.of(target) + " is self-signed and not a configured trust anchor";
        }
        return "no path from " + Names.of(target) + " to a configured trust anchor: "
                + (end == target ? "its issuer " : "the issuer of " + Names.of(end) + ", ")
                + end.getIssuerX500Principal().getName() + ", is neither a trust anchor nor among the "
                + offered + " other certificate(s) at hand";
    }

    private final class Search {
        private final List<X509Certificate> pool;
        private int steps;
        private X509Certificate deadEnd;
        private int deadEndDepth = -1;
        private String badSignature;

        Search(List<X509Certificate> pool) {
            this.pool = pool;
        }

        Built from(List<X509Certificate> path) {
            X509Certificate cert = path.get(path.size() - 1);
            for (X509Certificate anchor : anchors) {
                if (mayIssue(anchor, cert) && verifies(cert, anchor)) {
                    return new Built(List.copyOf(path), anchor);
                }
            }
            if (path.size() <= MAX_INTERMEDIATES) {
                for (X509Certificate ca : pool) {
                    if (!path.contains(ca) && mayIssue(ca, cert) && verifies(cert, ca)) {
                        path.add(ca);
                        Built built = from(path);
                        if (built != null) {
                            return built;
                        }
                        path.remove(path.size() - 1);
                    }
                }
            }
            if (path.size() > deadEndDepth) {
                deadEnd = cert;
                deadEndDepth = path.size();
            }
            return null;
        }

        private boolean verifies(X509Certificate cert, X509Certificate issuer) {
            if (++steps > MAX_STEPS) {
                return false;
            }
            String problem;
            try {
                if (new X509CertificateHolder(cert.getEncoded()).isSignatureValid(new JcaContentVerifierProviderBuilder()
                        .setProvider(Providers.bouncyCastle()).build(issuer.getPublicKey()))) {
                    return true;
                }
                problem = "the signature on " + Names.of(cert) + " does not verify with the key of " + Names.of(issuer);
            } catch (CertException | OperatorCreationException | CertificateEncodingException | java.io.IOException
                     | RuntimeException e) {
                problem = "the signature on " + Names.of(cert) + " cannot be checked with the key of " + Names.of(issuer)
                        + " (" + e.getMessage() + ")";
            }
            if (badSignature == null) {
                badSignature = problem;
            }
            return false;
        }
    }

    /** Whether {@code ca} may be the issuer of {@code cert}: names chain, key identifiers (when both have them) match. */
    static boolean mayIssue(X509Certificate ca, X509Certificate cert) {
        if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        byte[] aki = authorityKeyId(cert);
        byte[] ski = subjectKeyId(ca);
        return aki == null || ski == null || Arrays.equals(aki, ski);
    }

    static boolean selfIssued(X509Certificate cert) {
        return cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal());
    }

    private static byte[] authorityKeyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        try {
            return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (IllegalArgumentException e) {
            return null; // an unreadable identifier does not narrow the search; the signature still decides
        }
    }

    private static byte[] subjectKeyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        try {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (IllegalArgumentException e) {
            return null; // as above
        }
    }
}
