package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.PolicyViolationException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The revocation status of one certificate, from OCSP and CRLs in the configured order, cached.
 *
 * <p>OCSP: the request carries a fresh 32-byte nonce (RFC 8954) and a SHA-256 CertID. The answer must be signed by
 * the certificate's issuer or by a responder certificate that issuer certified with id-kp-OCSPSigning (RFC 6960
 * 4.2.2.2); the responder certificate's own revocation status is not checked (as id-pkix-ocsp-nocheck says, and as
 * RFC 6960 lets clients decide). An echoed nonce must be ours. Without a nonce — pre-signed answers (RFC 5019) carry
 * none — the answer's thisUpdate must lie within the freshness window, which bounds how old a replayed answer can
 * be. An answer past its nextUpdate is never used. OCSP "unknown" is no answer.
 *
 * <p>CRLs: from the certificate's HTTP distribution points and the configured files. Only complete CRLs signed by the
 * certificate's issuer (which must have cRLSign) are used: no delta, indirect or reason-partitioned CRLs. A CRL
 * whose nextUpdate has passed is used only to find a revocation; if it is all there is, the status is "stale".
 *
 * <p>Caching: OCSP answers (good or revoked) until their nextUpdate, or a maximum age when they have none (and never
 * beyond the freshness window for answers without a nonce); CRLs until their nextUpdate, files also until they change.
 * Failures and stale CRLs are not cached, so the next validation asks again.
 */
final class RevocationChecker {

    /** How far a thisUpdate may lie in the future (clocks of responders differ). */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final AlgorithmIdentifier SHA256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);

    /** What one source, or the configured sources together, said about a certificate. */
    record Answer(Kind kind, String source, Instant revokedAt, String revocationReason, String problem,
                  List<String> flags) {
        enum Kind { GOOD, REVOKED, UNAVAILABLE, STALE_CRL }

        Answer {
            flags = List.copyOf(flags);
        }

        boolean decisive() {
            return kind == Kind.GOOD || kind == Kind.REVOKED;
        }

        static Answer good(String source, List<String> flags) {
            return new Answer(Kind.GOOD, source, null, null, null, flags);
        }

        static Answer revoked(String source, Instant at, String reason, List<String> flags) {
            return new Answer(Kind.REVOKED, source, at, reason, null, flags);
        }

        static Answer unavailable(String problem) {
            return new Answer(Kind.UNAVAILABLE, null, null, null, problem, List.of());
        }

        Answer withSource(String newSource) {
            return new Answer(kind, newSource, revokedAt, revocationReason, problem, flags);
        }
    }

    /** Why a source gave no usable answer; the message is for people and names the source. */
    private static final class NoAnswer extends Exception {
        NoAnswer(String message) {
            super(message, null, false, false);
        }
    }

    private record CachedOcsp(Answer answer, Instant validUntil) {
    }

    private record CrlSource(URI uri, Path file, boolean fromCertificate) {
        @Override
        public String toString() {
            return uri.toString();
        }
    }

    private static final class CachedCrl {
        final X509CRLHolder crl;
        final Instant validUntil;
        final Object fileStamp;
        /** Issuer keys (encoded, Base64) this CRL's signature verified with; a 10 MB CRL is hashed once. */
        final Set<String> verifiedWith = ConcurrentHashMap.newKeySet();

        CachedCrl(X509CRLHolder crl, Instant validUntil, Object fileStamp) {
            this.crl = crl;
            this.validUntil = validUntil;
            this.fileStamp = fileStamp;
        }
    }

    private record Candidate(X509CRLHolder crl, String source, List<String> flags) {
    }

    private final RevocationSources sources;
    private final Clock clock;
    private final RevocationFetcher fetcher;
    private final PathAlgorithms algorithms;
    private final URI ocspOverride;
    private final List<Path> crlFiles;
    private final Duration ocspFreshness;
    private final Duration maxAge;
    private final BoundedCache<String, CachedOcsp> ocspCache;
    private final BoundedCache<String, CachedCrl> crlCache;
    private final SecureRandom random = new SecureRandom();
    private final DigestCalculatorProvider digests;

    RevocationChecker(RevocationSources sources, Clock clock, RevocationFetcher fetcher, PathAlgorithms algorithms,
                      URI ocspOverride, List<Path> crlFiles, Duration ocspFreshness, Duration maxAge, int cacheSize) {
        this.sources = sources;
        this.clock = clock;
        this.fetcher = fetcher;
        this.algorithms = algorithms;
        this.ocspOverride = ocspOverride;
        this.crlFiles = List.copyOf(crlFiles);
        this.ocspFreshness = ocspFreshness;
        this.maxAge = maxAge;
        this.ocspCache = new BoundedCache<>(cacheSize);
        this.crlCache = new BoundedCache<>(Math.max(16, cacheSize / 16));
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle offers no digests", e);
        }
    }

    /** Asks the configured sources in order until one gives a definite answer. */
    Answer check(X509Certificate cert, X509Certificate issuer, boolean certIsCa) {
        boolean ocspFirst = sources.ocspFirst();
        Answer first = ocspFirst ? ocsp(cert, issuer) : crl(cert, issuer, certIsCa);
        boolean askSecond = ocspFirst ? sources.asksCrl() : sources.asksOcsp();
        if (first.decisive() || !askSecond) {
            return first;
        }
        Answer second = ocspFirst ? crl(cert, issuer, certIsCa) : ocsp(cert, issuer);
        if (second.decisive()) {
            return second.withSource(second.source() + " (" + (ocspFirst ? "OCSP" : "CRL") + " had no answer: "
                    + first.problem() + ")");
        }
        Answer stale = first.kind() == Answer.Kind.STALE_CRL ? first : second.kind() == Answer.Kind.STALE_CRL ? second
                : null;
        String problems = first.problem() + "; " + second.problem();
        if (stale != null) {
            return new Answer(Answer.Kind.STALE_CRL, stale.source(), null, null, problems, stale.flags());
        }
        return Answer.unavailable(problems);
    }

    // ------------------------------------------------------------------ OCSP

    private Answer ocsp(X509Certificate cert, X509Certificate issuer) {
        List<URI> urls = ocspOverride != null ? List.of(ocspOverride) : ocspUrls(cert);
        if (urls.isEmpty()) {
            return Answer.unavailable("OCSP: " + Names.of(cert) + " names no OCSP responder and none is configured");
        }
        Instant now = clock.instant();
        String key = keyOf(issuer.getPublicKey()) + ":" + cert.getSerialNumber().toString(16);
        CachedOcsp cached = ocspCache.get(key, c -> now.isBefore(c.validUntil()));
        if (cached != null) {
            return cached.answer().withSource(cached.answer().source() + " (cached)");
        }
        List<String> problems = new ArrayList<>();
        for (URI url : urls) {
            try {
                CachedOcsp fresh = askOcsp(url, cert, issuer, now);
                ocspCache.put(key, fresh);
                return fresh.answer();
            } catch (NoAnswer e) {
                problems.add(e.getMessage());
            }
        }
        return Answer.unavailable(String.join("; ", problems));
    }

    private CachedOcsp askOcsp(URI url, X509Certificate cert, X509Certificate issuer, Instant now) throws NoAnswer {
        X509CertificateHolder issuerHolder = holder(issuer);
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        OCSPReq request;
        byte[] nonceValue;
        try {
            CertificateID id = new CertificateID(digests.get(SHA256), issuerHolder, cert.getSerialNumber());
            nonceValue = new DEROctetString(nonce).getEncoded();
            Extension nonceExtension = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonceValue);
            request = new OCSPReqBuilder().addRequest(id).setRequestExtensions(new Extensions(nonceExtension)).build();
        } catch (OCSPException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build an OCSP request for " + Names.of(cert), e);
        }
        OCSPResp response;
        try {
            response = fetcher.post(url, request.getEncoded(), "application/ocsp-request", "application/ocsp-response",
                    OCSPResp::new);
        } catch (RevocationFetcher.FetchException e) {
            throw new NoAnswer("OCSP: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an OCSP request", e);
        }
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new NoAnswer("OCSP: " + url + " answered '" + ocspStatus(response.getStatus()) + "'");
        }
        BasicOCSPResp basic;
        try {
            if (!(response.getResponseObject() instanceof BasicOCSPResp b)) {
                throw new NoAnswer("OCSP: " + url + " sent no basic OCSP response");
            }
            basic = b;
        } catch (OCSPException | RuntimeException e) {
            throw new NoAnswer("OCSP: the answer from " + url + " cannot be read: " + e.getMessage());
        }
        List<String> flags = new ArrayList<>();
        verifyOcspSigner(basic, issuer, issuerHolder, url, now, flags);
        requireOnlyKnownCritical(basic.getCriticalExtensionOIDs(), Set.of(OCSPObjectIdentifiers.id_pkix_ocsp_nonce.getId()),
                "the OCSP answer from " + url);

        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed != null && !Arrays.equals(echoed.getExtnValue().getOctets(), nonceValue)) {
            throw new NoAnswer("OCSP: the answer from " + url + " carries another nonce than the request "
                    + "(a replayed or foreign answer)");
        }
        SingleResp single = null;
        try {
            for (SingleResp s : basic.getResponses()) {
                if (s.getCertID().getSerialNumber().equals(cert.getSerialNumber())
                        && s.getCertID().matchesIssuer(issuerHolder, digests)) {
                    single = s;
                    break;
                }
            }
        } catch (OCSPException e) {
            throw new NoAnswer("OCSP: the answer from " + url + " names an unknown CertID hash: " + e.getMessage());
        }
        if (single == null) {
            throw new NoAnswer("OCSP: the answer from " + url + " says nothing about " + Names.of(cert));
        }
        requireOnlyKnownCritical(single.getCriticalExtensionOIDs(), Set.of(), "the OCSP answer from " + url);
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
            throw new NoAnswer("OCSP: the answer from " + url + " is dated " + thisUpdate + ", in the future");
        }
        if (nextUpdate != null && !now.isBefore(nextUpdate)) {
            throw new NoAnswer("OCSP: the answer from " + url + " expired at its nextUpdate " + nextUpdate);
        }
        Instant validUntil = nextUpdate != null ? nextUpdate : now.plus(maxAge);
        if (echoed == null) {
            if (thisUpdate.isBefore(now.minus(ocspFreshness))) {
                throw new NoAnswer("OCSP: the answer from " + url + " carries no nonce and dates from " + thisUpdate
                        + ", older than the " + ocspFreshness + " accepted for answers without nonce");
            }
            Instant freshUntil = thisUpdate.plus(ocspFreshness);
            validUntil = freshUntil.isBefore(validUntil) ? freshUntil : validUntil;
        }
        String source = "OCSP " + url;
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return new CachedOcsp(Answer.good(source, flags), validUntil);
        }
        if (status instanceof RevokedStatus r) {
            String reason = r.hasRevocationReason() ? Names.crlReason(r.getRevocationReason()) : "no reason given";
            return new CachedOcsp(Answer.revoked(source, r.getRevocationTime().toInstant(), reason, flags), validUntil);
        }
        throw new NoAnswer("OCSP: " + url + " does not know " + Names.of(cert) + " (status unknown)");
    }

    private void verifyOcspSigner(BasicOCSPResp basic, X509Certificate issuer, X509CertificateHolder issuerHolder,
                                  URI url, Instant now, List<String> flags) throws NoAnswer {
        ResponderID rid = basic.getResponderId().toASN1Primitive();
        PublicKey key;
        String signer;
        if (names(rid, issuerHolder)) {
            key = issuer.getPublicKey();
            signer = Names.of(issuer) + " (the CA itself)";
        } else {
            X509CertificateHolder delegate = null;
            for (X509CertificateHolder c : basic.getCerts()) {
                if (names(rid, c)) {
                    delegate = c;
                    break;
                }
            }
            if (delegate == null) {
                throw new NoAnswer("OCSP: the answer from " + url + " is signed by " + describe(rid) + ", which is "
                        + "neither " + Names.of(issuer) + " nor a responder certificate included in the answer");
            }
            key = checkDelegate(delegate, issuer, url, now, flags);
            signer = name(delegate.getSubject());
        }
        try {
            algorithms.key(key, "the OCSP signer " + signer, flags);
            algorithms.signature(basic.getSignatureAlgorithmID(), "the OCSP answer from " + url, flags);
        } catch (PolicyViolationException e) {
            throw new NoAnswer("OCSP: " + e.getMessage());
        }
        try {
            if (!basic.isSignatureValid(verifier(key))) {
                throw new NoAnswer("OCSP: the signature of the answer from " + url + " does not verify with the key of "
                        + signer);
            }
        } catch (OCSPException e) {
            throw new NoAnswer("OCSP: the signature of the answer from " + url + " cannot be checked: " + e.getMessage());
        }
    }

    /** A delegated responder: certified by the issuer itself, for OCSP signing, valid now. Returns its key. */
    private PublicKey checkDelegate(X509CertificateHolder delegate, X509Certificate issuer, URI url, Instant now,
                                    List<String> flags) throws NoAnswer {
        String name = name(delegate.getSubject());
        String prefix = "OCSP: the answer from " + url + " is signed by " + name + ", ";
        boolean certified;
        try {
            certified = sameName(delegate.getIssuer(), issuer)
                    && delegate.isSignatureValid(verifier(issuer.getPublicKey()));
        } catch (CertException | RuntimeException e) {
            certified = false;
        }
        if (!certified) {
            throw new NoAnswer(prefix + "which " + Names.of(issuer) + " did not certify: not an authorised responder");
        }
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(delegate.getExtensions());
        if (eku == null || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
            throw new NoAnswer(prefix + "whose certificate lacks the OCSPSigning extended key usage: not an "
                    + "authorised responder");
        }
        KeyUsage ku = KeyUsage.fromExtensions(delegate.getExtensions());
        if (ku != null && !ku.hasUsages(KeyUsage.digitalSignature) && !ku.hasUsages(KeyUsage.nonRepudiation)) {
            throw new NoAnswer(prefix + "whose key usage does not allow signatures");
        }
        if (!delegate.isValidOn(Date.from(now))) {
            throw new NoAnswer(prefix + "whose certificate is not valid now (" + delegate.getNotBefore().toInstant()
                    + " to " + delegate.getNotAfter().toInstant() + ")");
        }
        try {
            algorithms.signature(delegate.getSignatureAlgorithm(), "the OCSP responder certificate " + name, flags);
            return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(delegate)
                    .getPublicKey();
        } catch (PolicyViolationException e) {
            throw new NoAnswer("OCSP: " + e.getMessage());
        } catch (CertificateException e) {
            throw new NoAnswer(prefix + "whose certificate cannot be read: " + e.getMessage());
        }
    }

    /** Whether the responder ID names this certificate, by subject or by the hash of its key (RFC 6960 4.2.1). */
    private boolean names(ResponderID rid, X509CertificateHolder cert) {
        if (rid.getName() != null) {
            return rid.getName().equals(cert.getSubject());
        }
        byte[] keyHash = rid.getKeyHash();
        if (keyHash == null) {
            return false;
        }
        try {
            // RFC 6960 fixes SHA-1 for byKey: an identifier to look a key up by, not a security-relevant digest.
            DigestCalculator sha1 = digests.get(CertificateID.HASH_SHA1);
            try (OutputStream out = sha1.getOutputStream()) {
                out.write(cert.getSubjectPublicKeyInfo().getPublicKeyData().getBytes());
            }
            return Arrays.equals(keyHash, sha1.getDigest());
        } catch (OperatorCreationException | IOException e) {
            return false;
        }
    }

    private static String describe(ResponderID rid) {
        return rid.getName() != null ? name(rid.getName())
                : "the key with SHA-1 hash " + java.util.HexFormat.of().formatHex(rid.getKeyHash());
    }

    private static String ocspStatus(int status) {
        switch (status) {
            case OCSPResp.MALFORMED_REQUEST: return "malformedRequest";
            case OCSPResp.INTERNAL_ERROR: return "internalError";
            case OCSPResp.TRY_LATER: return "tryLater";
            case OCSPResp.SIG_REQUIRED: return "sigRequired";
            case OCSPResp.UNAUTHORIZED: return "unauthorized";
            default: return "status " + status;
        }
    }

    static List<URI> ocspUrls(X509Certificate cert) {
        List<URI> urls = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return urls;
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(ext).getOctets());
            for (AccessDescription d : aia.getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())) {
                    httpUri(d.getAccessLocation()).ifPresent(urls::add);
                }
            }
        } catch (IllegalArgumentException e) {
            // An unreadable AIA names no responder; the configured order then falls to the CRL or fails closed.
        }
        return urls;
    }

    // ------------------------------------------------------------------ CRL

    private Answer crl(X509Certificate cert, X509Certificate issuer, boolean certIsCa) {
        List<CrlSource> crlSources = new ArrayList<>();
        List<URI> distributionPoints = crlUrls(cert);
        distributionPoints.forEach(u -> crlSources.add(new CrlSource(u, null, true)));
        crlFiles.forEach(f -> crlSources.add(new CrlSource(f.toUri(), f, false)));
        if (crlSources.isEmpty()) {
            return Answer.unavailable("CRL: " + Names.of(cert) + " names no CRL distribution point over HTTP and no "
                    + "CRL file is configured");
        }
        Instant now = clock.instant();
        Candidate current = null;
        Candidate stale = null;
        List<String> problems = new ArrayList<>();
        for (CrlSource source : crlSources) {
            CachedCrl loaded;
            boolean fromCache;
            try {
                CachedCrl cached = cachedCrl(source, now);
                fromCache = cached != null;
                loaded = fromCache ? cached : loadCrl(source, now);
            } catch (RevocationFetcher.FetchException e) {
                problems.add("CRL: " + e.getMessage());
                continue;
            }
            X509CRLHolder crl = loaded.crl;
            if (!sameName(crl.getIssuer(), issuer)) {
                if (source.fromCertificate()) {
                    problems.add("CRL: the CRL from " + source + " is issued by " + name(crl.getIssuer()) + ", not by "
                            + Names.of(issuer));
                }
                continue; // a configured file for another CA
            }
            List<String> flags = new ArrayList<>();
            try {
                checkCrl(loaded, source, cert, issuer, certIsCa, distributionPoints, now, flags);
            } catch (NoAnswer e) {
                problems.add(e.getMessage());
                continue;
            }
            Candidate c = new Candidate(crl, "CRL " + source + (fromCache ? " (cached)" : ""), flags);
            Date next = crl.getNextUpdate();
            if (next != null && !now.isBefore(next.toInstant())) {
                stale = newer(stale, c);
            } else {
                current = newer(current, c);
            }
        }
        if (current != null) {
            return evaluate(current, cert);
        }
        if (stale != null) {
            Answer a = evaluate(stale, cert);
            if (a.kind() == Answer.Kind.REVOKED) {
                return a; // a revocation stays true when the list that says so grows old
            }
            String problem = "CRL: the only CRL for " + Names.of(cert) + ", from " + stale.source().substring(4)
                    + ", was due for renewal at " + stale.crl().getNextUpdate().toInstant();
            return new Answer(Answer.Kind.STALE_CRL, stale.source(), null, null, problem, stale.flags());
        }
        return Answer.unavailable(problems.isEmpty() ? "CRL: no CRL at hand is issued by " + Names.of(issuer)
                : String.join("; ", problems));
    }

    private CachedCrl cachedCrl(CrlSource source, Instant now) {
        Object stamp = source.file() == null ? null : fileStamp(source.file());
        return crlCache.get(source.uri().toString(), c -> now.isBefore(c.validUntil)
                && (source.file() == null || (stamp != null && stamp.equals(c.fileStamp))));
    }

    private CachedCrl loadCrl(CrlSource source, Instant now) throws RevocationFetcher.FetchException {
        Object stamp = source.file() == null ? null : fileStamp(source.file());
        X509CRLHolder crl = source.file() == null
                ? fetcher.get(source.uri(), "application/pkix-crl", RevocationChecker::parseCrl)
                : fetcher.file(source.file(), RevocationChecker::parseCrl);
        Instant next = crl.getNextUpdate() == null ? now.plus(maxAge) : crl.getNextUpdate().toInstant();
        CachedCrl loaded = new CachedCrl(crl, next, stamp);
        if (now.isBefore(next)) {
            crlCache.put(source.uri().toString(), loaded);
        }
        return loaded;
    }

    private void checkCrl(CachedCrl loaded, CrlSource source, X509Certificate cert, X509Certificate issuer,
                          boolean certIsCa, List<URI> distributionPoints, Instant now, List<String> flags)
            throws NoAnswer {
        X509CRLHolder crl = loaded.crl;
        String what = "the CRL from " + source;
        boolean[] ku = issuer.getKeyUsage();
        if (ku != null && (ku.length < 7 || !ku[6])) {
            throw new NoAnswer("CRL: " + what + " is signed by " + Names.of(issuer) + ", whose key usage lacks cRLSign");
        }
        try {
            algorithms.signature(crl.toASN1Structure().getSignatureAlgorithm(), what, flags);
        } catch (PolicyViolationException e) {
            throw new NoAnswer("CRL: " + e.getMessage());
        }
        String issuerKey = keyOf(issuer.getPublicKey());
        if (!loaded.verifiedWith.contains(issuerKey)) {
            try {
                if (!crl.isSignatureValid(verifier(issuer.getPublicKey()))) {
                    throw new NoAnswer("CRL: the signature on " + what + " does not verify with the key of "
                            + Names.of(issuer));
                }
            } catch (CertException | RuntimeException e) {
                throw new NoAnswer("CRL: the signature on " + what + " cannot be checked: " + e.getMessage());
            }
            loaded.verifiedWith.add(issuerKey);
        }
        @SuppressWarnings("unchecked")
        Set<org.bouncycastle.asn1.ASN1ObjectIdentifier> critical = crl.getCriticalExtensionOIDs();
        for (var oid : critical) {
            if (Extension.deltaCRLIndicator.equals(oid)) {
                throw new NoAnswer("CRL: " + what + " is a delta CRL, which is not used");
            }
            if (!Extension.issuingDistributionPoint.equals(oid)) {
                throw new NoAnswer("CRL: " + what + " has the critical extension " + oid.getId() + ", which is not "
                        + "understood");
            }
        }
        Extension idpExtension = crl.getExtension(Extension.issuingDistributionPoint);
        if (idpExtension != null) {
            checkScope(IssuingDistributionPoint.getInstance(idpExtension.getParsedValue()), what, cert, certIsCa,
                    distributionPoints);
        }
        if (crl.getThisUpdate().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new NoAnswer("CRL: " + what + " is dated " + crl.getThisUpdate().toInstant() + ", in the future");
        }
    }

    /** RFC 5280 6.3.3 (b): the CRL must cover this kind of certificate and, if partitioned, this one's partition. */
    private static void checkScope(IssuingDistributionPoint idp, String what, X509Certificate cert, boolean certIsCa,
                                   List<URI> distributionPoints) throws NoAnswer {
        if (idp.onlyContainsUserCerts() && certIsCa) {
            throw new NoAnswer("CRL: " + what + " covers only end-entity certificates, not the CA " + Names.of(cert));
        }
        if (idp.onlyContainsCACerts() && !certIsCa) {
            throw new NoAnswer("CRL: " + what + " covers only CA certificates, not " + Names.of(cert));
        }
        if (idp.onlyContainsAttributeCerts()) {
            throw new NoAnswer("CRL: " + what + " covers only attribute certificates");
        }
        if (idp.getOnlySomeReasons() != null) {
            throw new NoAnswer("CRL: " + what + " covers only some revocation reasons, which is not supported");
        }
        if (idp.isIndirectCRL()) {
            throw new NoAnswer("CRL: " + what + " is an indirect CRL, which is not supported");
        }
        DistributionPointName dp = idp.getDistributionPoint();
        if (dp != null && dp.getType() == DistributionPointName.FULL_NAME) {
            for (GeneralName n : GeneralNames.getInstance(dp.getName()).getNames()) {
                if (httpUri(n).filter(distributionPoints::contains).isPresent()) {
                    return;
                }
            }
            throw new NoAnswer("CRL: " + what + " is a partition that " + Names.of(cert) + " does not name as its "
                    + "distribution point");
        }
    }

    private static Answer evaluate(Candidate c, X509Certificate cert) {
        X509CRLEntryHolder entry = c.crl().getRevokedCertificate(cert.getSerialNumber());
        if (entry == null) {
            return Answer.good(c.source(), c.flags());
        }
        Extension reasonExtension = entry.getExtension(Extension.reasonCode);
        int reason = reasonExtension == null ? -1
                : CRLReason.getInstance(reasonExtension.getParsedValue()).getValue().intValue();
        if (reason == CRLReason.removeFromCRL) {
            return Answer.good(c.source(), c.flags());
        }
        return Answer.revoked(c.source(), entry.getRevocationDate().toInstant(),
                reason < 0 ? "no reason given" : Names.crlReason(reason), c.flags());
    }

    private static Candidate newer(Candidate a, Candidate b) {
        return a == null || b.crl().getThisUpdate().after(a.crl().getThisUpdate()) ? b : a;
    }

    static List<URI> crlUrls(X509Certificate cert) {
        List<URI> urls = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return urls;
        }
        try {
            for (DistributionPoint dp : CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets())
                    .getDistributionPoints()) {
                DistributionPointName name = dp.getDistributionPoint();
                if (dp.getCRLIssuer() != null || name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue; // indirect CRLs and relative names are not supported
                }
                for (GeneralName n : GeneralNames.getInstance(name.getName()).getNames()) {
                    httpUri(n).ifPresent(urls::add);
                }
            }
        } catch (IllegalArgumentException e) {
            // An unreadable distribution point names no CRL; the configured order then falls to OCSP or fails closed.
        }
        return urls;
    }

    /** Only HTTP(S) locations from certificates: a certificate must not make us read local files or LDAP. */
    private static java.util.Optional<URI> httpUri(GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return java.util.Optional.empty();
        }
        try {
            URI uri = new URI(name.getName().toString().trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals("http") || scheme.equals("https") ? java.util.Optional.of(uri)
                    : java.util.Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }

    private static X509CRLHolder parseCrl(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in);
        b.mark(1);
        int first = b.read();
        b.reset();
        if (first == '-') {
            try {
                return new X509CRLHolder(Pem.readCrl(new InputStreamReader(b, StandardCharsets.US_ASCII)).getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IOException("not a PEM CRL: " + e.getMessage(), e);
            }
        }
        return new X509CRLHolder(b);
    }

    private static Object fileStamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void requireOnlyKnownCritical(Set<?> critical, Set<String> known, String what) throws NoAnswer {
        for (Object oid : critical) {
            if (!known.contains(oid.toString())) {
                throw new NoAnswer("OCSP: " + what + " has the critical extension " + oid + ", which is not understood");
            }
        }
    }

    private static ContentVerifierProvider verifier(PublicKey key) throws NoAnswer {
        try {
            return new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle()).build(key);
        } catch (OperatorCreationException e) {
            throw new NoAnswer("no verifier for a " + key.getAlgorithm() + " key: " + e.getMessage());
        }
    }

    private static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new X509CertificateHolder(cert.getEncoded());
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot re-read " + Names.of(cert), e);
        }
    }

    private static String keyOf(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static String name(X500Name name) {
        try {
            return new X500Principal(name.getEncoded()).getName(X500Principal.RFC2253);
        } catch (IOException | IllegalArgumentException e) {
            return name.toString();
        }
    }

    private static boolean sameName(X500Name name, X509Certificate cert) {
        try {
            return new X500Principal(name.getEncoded()).equals(cert.getSubjectX500Principal());
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
