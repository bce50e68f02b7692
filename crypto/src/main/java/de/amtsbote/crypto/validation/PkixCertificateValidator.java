package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Validates certificates against configured trust anchors (RFC 5280) and names the reason when one is not valid.
 *
 * <p>The steps, in this order; the first that fails decides the {@link ValidationResult.Reason}:
 * <ol>
 * <li>Path building to a configured anchor, through the intermediates the caller gives and those configured, each
 *     link confirmed by its signature ({@code UNKNOWN_CA}, {@code BAD_SIGNATURE}). Nothing else a certificate says
 *     can be believed before its signature is.
 * <li>The algorithm policy on every public key of the path including the anchor's, and on every certificate
 *     signature below the anchor ({@code POLICY_REFUSED}); legacy keys are flagged. The anchor's self-signature is
 *     not checked: trust in an anchor comes from configuration, not from its signature (RFC 5280 6.1.1 (d)).
 * <li>Validity of every certificate of the path and of the anchor at the time asked for ({@code EXPIRED},
 *     {@code NOT_YET_VALID}, naming the certificate). An expired anchor is refused too: it is a configuration
 *     that needs attention, not something to trust silently.
 * <li>CA structure: basicConstraints cA and pathLenConstraint, keyCertSign; then the JDK's {@code CertPathValidator}
 *     (revocation off) for the rest of RFC 5280 — name constraints (the anchor certificate's own included, as
 *     RFC 5937 advises), policies, unknown critical extensions ({@code MALFORMED}).
 * <li>Key usage and extended key usage of the certificate for the {@link CertificateUsage} ({@code WRONG_KEY_USAGE}).
 * <li>Revocation of every certificate below the anchor, from the anchor down ({@code REVOKED},
 *     {@code REVOCATION_UNAVAILABLE}, {@code STALE_CRL}). Fail-closed by default; soft-fail and "no revocation
 *     checking" only by explicit configuration, and then every affected result carries a flag.
 * </ol>
 *
 * <p>Validation at a past time ({@code at}) checks validity at that time and the current revocation status: a
 * certificate revoked after {@code at} is valid for {@code at} but flagged (the chain model used for signatures
 * with a trusted time).
 *
 * <p>Thread-safe; one instance per configuration, sharing one HTTP client and the revocation caches.
 */
public final class PkixCertificateValidator implements CertificateValidator {

    private static final System.Logger LOG = System.getLogger(PkixCertificateValidator.class.getName());

    private final List<X509Certificate> anchors;
    private final PathBuilder paths;
    private final PathAlgorithms algorithms;
    private final Clock clock;
    private final RevocationSources sources;
    private final boolean softFail;
    private final RevocationChecker revocation;

    private PkixCertificateValidator(Builder b) {
        this.anchors = List.copyOf(b.anchors);
        this.paths = new PathBuilder(anchors, b.intermediates);
        this.algorithms = new PathAlgorithms(b.policy, b.flagPkcs1);
        this.clock = b.clock;
        this.sources = b.revocation;
        this.softFail = b.softFail;
        HttpClient http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.revocation = new RevocationChecker(b.revocation, b.clock,
                new RevocationFetcher(http, b.requestTimeout, b.maxResponseBytes), algorithms, b.ocspResponder,
                b.crlFiles, b.ocspFreshness, b.cacheMaxAge, b.cacheSize);
        if (sources == RevocationSources.NONE) {
            LOG.log(Level.WARNING, "Certificate validation without revocation checking (configured); every result "
                    + "is flagged");
        } else if (softFail) {
            LOG.log(Level.WARNING, "Certificate validation is soft-fail (configured): an unavailable revocation "
                    + "status is accepted and flagged");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configured trust anchors. */
    public List<X509Certificate> trustAnchors() {
        return anchors;
    }

    @Override
    public ValidationResult validate(X509Certificate certificate, Collection<X509Certificate> intermediates,
                                     CertificateUsage usage, Instant at) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(intermediates, "intermediates");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(at, "at");
        Progress p = new Progress();
        try {
            PathBuilder.Built built = paths.build(certificate, intermediates);
            p.path = built.path();
            p.anchor = built.anchor();
            checkAlgorithms(built, p.flags);
            checkValidity(built, at);
            checkCaStructure(built);
            checkAnchorNameConstraints(built);
            checkRfc5280(built, at);
            UsageRules.check(certificate, usage);
            checkRevocation(built, at, p);
            String revocationText = p.revocationText();
            String detail = Names.of(certificate) + " is valid for " + Names.of(usage) + " at " + at
                    + (p.anchor == certificate ? " as a configured trust anchor"
                    : ": path to the trust anchor " + Names.of(p.anchor))
                    + (revocationText == null ? "" : "; revocation status from " + revocationText);
            return new ValidationResult(null, detail, p.path, p.anchor, revocationText, List.copyOf(p.flags), at);
        } catch (Refusal r) {
            return new ValidationResult(r.reason(), r.getMessage(), p.path, p.anchor, p.revocationText(),
                    List.copyOf(p.flags), at);
        }
    }

    // ------------------------------------------------------------------ steps

    private void checkAlgorithms(PathBuilder.Built built, Set<String> flags) throws Refusal {
        List<X509Certificate> path = built.path();
        try {
            for (int i = 0; i < path.size(); i++) {
                X509Certificate c = path.get(i);
                algorithms.key(c.getPublicKey(), role(path, i), flags);
                algorithms.signature(signatureAlgorithm(c), role(path, i), flags);
            }
            algorithms.key(built.anchor().getPublicKey(), "the trust anchor " + Names.of(built.anchor()), flags);
        } catch (PolicyViolationException e) {
            throw new Refusal(ValidationResult.Reason.POLICY_REFUSED, e.getMessage());
        }
    }

    private static void checkValidity(PathBuilder.Built built, Instant at) throws Refusal {
        List<X509Certificate> all = new ArrayList<>(built.path());
        if (!all.contains(built.anchor())) {
            all.add(built.anchor());
        }
        Date when = Date.from(at);
        for (int i = 0; i < all.size(); i++) {
            X509Certificate c = all.get(i);
            String role = i < built.path().size() ? role(built.path(), i) : "the trust anchor " + Names.of(c);
            try {
                c.checkValidity(when);
            } catch (CertificateExpiredException e) {
                throw new Refusal(ValidationResult.Reason.EXPIRED, capitalized(role) + " expired on "
                        + c.getNotAfter().toInstant() + " (checked for " + at + ")");
            } catch (CertificateNotYetValidException e) {
                throw new Refusal(ValidationResult.Reason.NOT_YET_VALID, capitalized(role) + " is valid only from "
                        + c.getNotBefore().toInstant() + " (checked for " + at + ")");
            }
        }
    }

    /** basicConstraints and keyCertSign of every certificate that issued one of the path (RFC 5280 6.1.4). */
    private static void checkCaStructure(PathBuilder.Built built) throws Refusal {
        List<X509Certificate> path = built.path();
        for (int i = 1; i < path.size(); i++) {
            X509Certificate ca = path.get(i);
            String role = role(path, i);
            if (ca.getBasicConstraints() < 0) {
                throw new Refusal(ValidationResult.Reason.MALFORMED, capitalized(role) + " issued "
                        + Names.of(path.get(i - 1)) + " but is not a CA (basicConstraints cA is not set)");
            }
            requireCaLimits(ca, role, intermediatesBelow(path, i));
        }
        if (!path.isEmpty() && built.anchor() != path.get(0)) {
            // The anchor's own limits, where its certificate states them (a v1 root states none).
            requireCaLimits(built.anchor(), "the trust anchor " + Names.of(built.anchor()),
                    intermediatesBelow(path, path.size()));
        }
    }

    private static void requireCaLimits(X509Certificate ca, String role, int below) throws Refusal {
        int pathLen = ca.getBasicConstraints();
        if (pathLen >= 0 && below > pathLen) {
            throw new Refusal(ValidationResult.Reason.MALFORMED, capitalized(role) + " allows " + pathLen
                    + " intermediate CA(s) below it (pathLenConstraint), the path has " + below);
        }
        boolean[] ku = ca.getKeyUsage();
        if (ku != null && (ku.length < 6 || !ku[5])) {
            throw new Refusal(ValidationResult.Reason.MALFORMED, capitalized(role)
                    + " may not sign certificates (its key usage lacks keyCertSign)");
        }
    }

    /** Intermediate CAs between the certificate and the CA at {@code index}; self-issued ones do not count. */
    private static int intermediatesBelow(List<X509Certificate> path, int index) {
        int n = 0;
        for (int j = 1; j < index; j++) {
            if (!PathBuilder.selfIssued(path.get(j))) {
                n++;
            }
        }
        return n;
    }

    /** The rest of RFC 5280 (name constraints, policies, critical extensions), by the JDK, revocation off. */
    private static void checkRfc5280(PathBuilder.Built built, Instant at) throws Refusal {
        List<X509Certificate> path = built.path();
        if (path.isEmpty()) {
            return;
        }
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(built.anchor(), null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            // Bouncy Castle verifies: the JDK's providers lack brainpool curves since JDK 16.
            params.setSigProvider(Providers.bouncyCastle().getName());
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            int index = e.getIndex();
            String which = index >= 0 && index < path.size() ? role(path, index) : "the path";
            throw new Refusal(reasonOf(e.getReason()), "RFC 5280 path validation refused " + which + ": "
                    + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's PKIX path validation is not available", e);
        }
    }

    /**
     * The anchor certificate's own name constraints, applied to every certificate below it. The JDK's validator
     * does not support constraints on anchors; RFC 5937 advises to apply them, and a CA constrained to a Land's
     * domains should stay constrained here too (constraints of intermediates are the JDK's part).
     */
    private static void checkAnchorNameConstraints(PathBuilder.Built built) throws Refusal {
        X509Certificate anchor = built.anchor();
        byte[] ext = anchor.getExtensionValue(Extension.nameConstraints.getId());
        if (ext == null || built.path().isEmpty()) {
            return;
        }
        PKIXNameConstraintValidator constraints = new PKIXNameConstraintValidator();
        try {
            NameConstraints nc = NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            if (nc.getPermittedSubtrees() != null) {
                constraints.intersectPermittedSubtree(nc.getPermittedSubtrees());
            }
            if (nc.getExcludedSubtrees() != null) {
                for (GeneralSubtree t : nc.getExcludedSubtrees()) {
                    constraints.addExcludedSubtree(t);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Refusal(ValidationResult.Reason.MALFORMED, "the name constraints of the trust anchor "
                    + Names.of(anchor) + " cannot be read: " + e.getMessage());
        }
        List<X509Certificate> path = built.path();
        for (int i = 0; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            String role = role(path, i);
            try {
                // RFC 5280 6.1.3 (b): self-issued intermediates are exempt from name constraints on their subject.
                if (i == 0 || !PathBuilder.selfIssued(c)) {
                    X500Name subject = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
                    constraints.checkPermittedDN(subject);
                    constraints.checkExcludedDN(subject);
                    for (RDN rdn : subject.getRDNs(PKCSObjectIdentifiers.pkcs_9_at_emailAddress)) {
                        GeneralName mail = new GeneralName(GeneralName.rfc822Name,
                                rdn.getFirst().getValue().toString());
                        constraints.checkPermitted(mail);
                        constraints.checkExcluded(mail);
                    }
                }
                byte[] san = c.getExtensionValue(Extension.subjectAlternativeName.getId());
                if (san != null) {
                    for (GeneralName name : GeneralNames.getInstance(ASN1OctetString.getInstance(san).getOctets())
                            .getNames()) {
                        constraints.checkPermitted(name);
                        constraints.checkExcluded(name);
                    }
                }
            } catch (NameConstraintValidatorException e) {
                throw new Refusal(ValidationResult.Reason.MALFORMED, capitalized(role)
                        + " is outside the name constraints of the trust anchor " + Names.of(anchor) + ": "
                        + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new Refusal(ValidationResult.Reason.MALFORMED, "the names of " + role + " cannot be read: "
                        + e.getMessage());
            }
        }
    }

    private static ValidationResult.Reason reasonOf(CertPathValidatorException.Reason reason) {
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return ValidationResult.Reason.EXPIRED;
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return ValidationResult.Reason.NOT_YET_VALID;
        }
        if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return ValidationResult.Reason.BAD_SIGNATURE;
        }
        if (reason == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
            return ValidationResult.Reason.POLICY_REFUSED;
        }
        if (reason == PKIXReason.NO_TRUST_ANCHOR || reason == PKIXReason.NAME_CHAINING) {
            return ValidationResult.Reason.UNKNOWN_CA;
        }
        return ValidationResult.Reason.MALFORMED;
    }

    private void checkRevocation(PathBuilder.Built built, Instant at, Progress p) throws Refusal {
        List<X509Certificate> path = built.path();
        if (path.isEmpty()) {
            p.sources.add("not applicable (the certificate is itself a trust anchor)");
            return;
        }
        if (sources == RevocationSources.NONE) {
            p.sources.add("none (revocation checking is switched off by configuration)");
            p.flags.add("revocation not checked: switched off by configuration");
            return;
        }
        Instant now = clock.instant();
        // From the anchor down: a revoked CA makes what it says about its subjects worthless.
        for (int i = path.size() - 1; i >= 0; i--) {
            X509Certificate cert = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : built.anchor();
            String role = role(path, i);
            RevocationChecker.Answer a = revocation.check(cert, issuer, cert.getBasicConstraints() >= 0);
            switch (a.kind()) {
                case GOOD:
                    p.source(path, i, a.source());
                    p.flags.addAll(a.flags());
                    if (cert.getNotAfter().toInstant().isBefore(now)) {
                        p.flags.add(capitalized(role) + " has expired since " + cert.getNotAfter().toInstant()
                                + "; its CA need no longer publish its revocation");
                    }
                    break;
                case REVOKED:
                    p.source(path, i, a.source());
                    p.flags.addAll(a.flags());
                    String revoked = capitalized(role) + " was revoked on " + a.revokedAt() + " ("
                            + a.revocationReason() + ") according to " + a.source();
                    if (a.revokedAt().isAfter(at)) {
                        p.flags.add(revoked + ", after the time checked, " + at);
                        break;
                    }
                    throw new Refusal(ValidationResult.Reason.REVOKED, revoked);
                case STALE_CRL:
                    p.source(path, i, "stale " + a.source());
                    p.flags.addAll(a.flags());
                    String stale = "the revocation status of " + role + " is stale: " + a.problem();
                    if (!softFail) {
                        throw new Refusal(ValidationResult.Reason.STALE_CRL, capitalized(stale));
                    }
                    p.flags.add(capitalized(stale) + " (accepted: soft-fail is configured)");
                    break;
                default:
                    String unavailable = "the revocation status of " + role + " is unavailable: " + a.problem();
                    if (!softFail) {
                        throw new Refusal(ValidationResult.Reason.REVOCATION_UNAVAILABLE, capitalized(unavailable));
                    }
                    p.source(path, i, "unavailable (soft-fail)");
                    p.flags.add(capitalized(unavailable) + " (accepted: soft-fail is configured)");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String role(List<X509Certificate> path, int i) {
        return (i == 0 ? "the certificate " : "the intermediate CA ") + Names.of(path.get(i));
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static AlgorithmIdentifier signatureAlgorithm(X509Certificate cert) throws Refusal {
        try {
            return new X509CertificateHolder(cert.getEncoded()).getSignatureAlgorithm();
        } catch (CertificateEncodingException | IOException e) {
            throw new Refusal(ValidationResult.Reason.MALFORMED, Names.of(cert) + " cannot be read: " + e.getMessage());
        }
    }

    /** What a validation found so far: the result carries it whether valid or not. */
    private static final class Progress {
        List<X509Certificate> path = List.of();
        X509Certificate anchor;
        final Set<String> flags = new LinkedHashSet<>();
        final List<String> sources = new ArrayList<>();
        private final List<Integer> indexes = new ArrayList<>();
        private List<X509Certificate> pathForSources = List.of();

        void source(List<X509Certificate> path, int index, String source) {
            pathForSources = path;
            sources.add(source);
            indexes.add(index);
        }

        /** "OCSP http://…" for a single certificate; "… for CN=leaf; … for CN=intermediate" for longer paths. */
        String revocationText() {
            if (sources.isEmpty()) {
                return null;
            }
            if (pathForSources.size() <= 1) {
                return String.join("; ", sources);
            }
            List<String> parts = new ArrayList<>();
            for (int k = sources.size() - 1; k >= 0; k--) {
                parts.add(sources.get(k) + " for " + Names.of(pathForSources.get(indexes.get(k))));
            }
            return String.join("; ", parts);
        }
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Configures a validator. Required: at least one trust anchor. Defaults: the BSI policy, the system clock, OCSP
     * then CRL, fail-closed, 5 s connect and 10 s request timeouts, 10 MiB per answer, a 24 h freshness window for
     * OCSP answers without nonce, 1 h cache lifetime for answers without nextUpdate, 10,000 cache entries.
     */
    public static final class Builder {
        private final List<X509Certificate> anchors = new ArrayList<>();
        private final List<X509Certificate> intermediates = new ArrayList<>();
        private AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        private Clock clock = Clock.systemUTC();
        private RevocationSources revocation = RevocationSources.OCSP_THEN_CRL;
        private boolean softFail;
        private final List<Path> crlFiles = new ArrayList<>();
        private URI ocspResponder;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private long maxResponseBytes = 10L * 1024 * 1024;
        private Duration ocspFreshness = Duration.ofHours(24);
        private Duration cacheMaxAge = Duration.ofHours(1);
        private int cacheSize = 10_000;
        private HttpClient httpClient;
        private boolean flagPkcs1;

        private Builder() {
        }

        public Builder trustAnchor(X509Certificate anchor) {
            anchors.add(Objects.requireNonNull(anchor, "anchor"));
            return this;
        }

        public Builder trustAnchors(Collection<X509Certificate> anchors) {
            anchors.forEach(this::trustAnchor);
            return this;
        }

        /** Every certificate in a PEM file becomes a trust anchor. */
        public Builder trustAnchorsFrom(Path pemFile) throws IOException, CertificateException {
            return trustAnchors(Pem.readCertificates(pemFile));
        }

        /** CA certificates that help build paths (an intermediate bundle); they are not trusted by themselves. */
        public Builder intermediates(Collection<X509Certificate> certificates) {
            certificates.forEach(c -> intermediates.add(Objects.requireNonNull(c)));
            return this;
        }

        public Builder policy(AlgorithmPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** "Now" for freshness of revocation answers and the caches; validity is checked at the time asked for. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The revocation sources and their order; {@link RevocationSources#NONE} is flagged in every result. */
        public Builder revocation(RevocationSources sources) {
            this.revocation = Objects.requireNonNull(sources);
            return this;
        }

        /**
         * Accepts a certificate whose revocation status is unavailable or stale, with a flag in the result. Not the
         * default: an attacker who blocks the responder must not win.
         */
        public Builder softFail() {
            this.softFail = true;
            return this;
        }

        /** A CRL file (DER or PEM), read in addition to the certificates' distribution points; re-read when it changes. */
        public Builder crlFile(Path file) {
            crlFiles.add(Objects.requireNonNull(file).toAbsolutePath());
            return this;
        }

        /** A CRL file given as {@code file:} URI. */
        public Builder crlFile(URI fileUri) {
            if (!"file".equalsIgnoreCase(fileUri.getScheme())) {
                throw new IllegalArgumentException("a configured CRL must be a file: URI, not " + fileUri
                        + " (HTTP CRLs come from the certificates' distribution points)");
            }
            return crlFile(Path.of(fileUri));
        }

        /** Asks this OCSP responder for every certificate instead of those named in the certificates. */
        public Builder ocspResponder(URI url) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("an OCSP responder must be an HTTP(S) URL: " + url);
            }
            this.ocspResponder = url;
            return this;
        }

        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = requirePositive(connect, "connect timeout");
            this.requestTimeout = requirePositive(request, "request timeout");
            return this;
        }

        /** The most bytes read from one CRL or OCSP answer. */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("a response size limit below 1 KiB cannot hold an OCSP answer: "
                        + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /** How old an OCSP answer without nonce (a pre-signed one) may be, by its thisUpdate. */
        public Builder ocspFreshness(Duration window) {
            this.ocspFreshness = requirePositive(window, "OCSP freshness window");
            return this;
        }

        /** How long an OCSP answer or CRL without nextUpdate is cached. */
        public Builder cacheMaxAge(Duration maxAge) {
            this.cacheMaxAge = requirePositive(maxAge, "cache maximum age");
            return this;
        }

        /** The most OCSP answers cached (CRLs: a sixteenth of it, at least 16). */
        public Builder cacheSize(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("cache size must be positive: " + entries);
            }
            this.cacheSize = entries;
            return this;
        }

        /** The application's one HTTP client; without it the validator makes its own (with the connect timeout). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client);
            return this;
        }

        /**
         * Flags RSA PKCS#1 v1.5 signatures on certificates, CRLs and OCSP answers as legacy. Off by default: nearly
         * every CA signs like that, and a flag on every result would soon be ignored.
         */
        public Builder flagPkcs1CertificateSignatures() {
            this.flagPkcs1 = true;
            return this;
        }

        public PkixCertificateValidator build() {
            if (anchors.isEmpty()) {
                throw new IllegalStateException("a certificate validator needs at least one trust anchor");
            }
            return new PkixCertificateValidator(this);
        }

        private static Duration requirePositive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
