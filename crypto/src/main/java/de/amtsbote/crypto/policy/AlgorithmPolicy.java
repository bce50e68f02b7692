package de.amtsbote.crypto.policy;

import static de.amtsbote.crypto.policy.Algorithm.*;
import static de.amtsbote.crypto.policy.PolicyViolationException.Reason.*;

import java.lang.System.Logger.Level;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The algorithm policy after BSI TR-02102-1 (2025-01) and TR-03116-4 (2023), section 4 (S/MIME) and 5 (XML
 * security). It keeps three tables — allowed for new messages, accepted inbound as flagged legacy, refused — for
 * algorithms, elliptic curves and RSA sizes, and it chooses every algorithm Amtsbote creates: callers never name one.
 *
 * <p>Anything the policy does not know is refused (fail closed). A legacy algorithm is used for a new message only
 * through an explicit {@link PeerException}, which is logged when the policy is built and flagged at each use.
 * Refused algorithms cannot be excepted. Inbound legacy can be refused altogether ({@link Builder#refuseLegacyInbound()}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AlgorithmPolicy {

    private static final System.Logger LOG = System.getLogger(AlgorithmPolicy.class.getName());

    static final String TR02102 = "BSI TR-02102-1 (2025-01)";
    static final String TR03116 = "BSI TR-03116-4 (2023)";

    /** The smallest RSA modulus for new keys and for recipients of new messages (TR-02102-1 table 1.2: 3000). */
    public static final int RSA_MIN_BITS = 3072;
    /** The smallest RSA modulus still read inbound, flagged (transition of TR-02102-1 ended 2023). */
    public static final int RSA_LEGACY_MIN_BITS = 2048;

    private static final Map<Algorithm, PolicyEntry> ALGORITHMS = algorithmTable();
    private static final Map<String, Curve> CURVES = curveTable();

    private final Map<String, List<PeerException>> peerExceptions;
    private final boolean acceptLegacyInbound;
    private final Clock clock;

    private AlgorithmPolicy(Builder b) {
        Map<String, List<PeerException>> byPeer = new LinkedHashMap<>();
        for (PeerException e : b.peerExceptions) {
            byPeer.computeIfAbsent(e.peer(), k -> new ArrayList<>()).add(e);
        }
        byPeer.replaceAll((k, v) -> List.copyOf(v));
        this.peerExceptions = Collections.unmodifiableMap(byPeer);
        this.acceptLegacyInbound = b.acceptLegacyInbound;
        this.clock = b.clock;
        for (PeerException e : b.peerExceptions) {
            LOG.log(Level.WARNING, "Algorithm policy exception: {0} may be used for new messages to {1} until {2} ({3})",
                    e.algorithm().displayName(), e.peer(), e.until(), e.reason());
        }
        if (!acceptLegacyInbound) {
            LOG.log(Level.INFO, "Algorithm policy: legacy algorithms are refused inbound as well");
        }
    }

    /** The default policy: the BSI tables, inbound legacy accepted and flagged, no peer exceptions. */
    public static AlgorithmPolicy bsi() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ choices for new messages

    /** The digest for new signatures and evidence: SHA-256, or SHA-384/512 to match larger EC keys. */
    public Algorithm digestFor(PublicKey signingKey) throws PolicyViolationException {
        if (isEc(signingKey)) {
            Curve curve = curveOf(signingKey);
            return curve.bits >= 512 ? SHA512 : curve.bits >= 384 ? SHA384 : SHA256;
        }
        return SHA256;
    }

    /**
     * The signature scheme for a new signature with this key towards this peer (null: no particular peer). RSA keys
     * sign with RSASSA-PSS, EC keys with ECDSA; RSA PKCS#1 v1.5 only under a peer exception.
     */
    public SignatureSpec signatureFor(PublicKey signingKey, String peer) throws PolicyViolationException {
        requireNewKey(signingKey);
        Algorithm digest = digestFor(signingKey);
        if (isRsa(signingKey)) {
            Optional<PeerException> legacy = activeException(peer, RSA_PKCS1_V15_SIGNATURE);
            return legacy.map(e -> new SignatureSpec(RSA_PKCS1_V15_SIGNATURE, digest, flagOf(e)))
                    .orElseGet(() -> new SignatureSpec(RSASSA_PSS, digest, null));
        }
        if (isEc(signingKey)) {
            return new SignatureSpec(ECDSA, digest, null);
        }
        throw keyTypeRefused(signingKey, "signing");
    }

    /**
     * How to encrypt a new message for a recipient with this certificate key. AES-256-GCM (TR-02102-1 advises 256
     * bits for long-term protection), RSAES-OAEP with SHA-256 for RSA, ECDH-ES with the SHA-256 X9.63 KDF and AES-256
     * key wrap for EC. AES-CBC and PKCS#1 v1.5 key transport only under a peer exception.
     */
    public EncryptionSpec encryptionFor(PublicKey recipientKey, String peer) throws PolicyViolationException {
        requireRecipientKey(recipientKey, peer);
        Algorithm content = AES256_GCM;
        String flag = null;
        for (Algorithm cbc : List.of(AES256_CBC, AES128_CBC, AES192_CBC)) {
            Optional<PeerException> e = activeException(peer, cbc);
            if (e.isPresent()) {
                content = cbc;
                flag = flagOf(e.get());
                break;
            }
        }
        if (isRsa(recipientKey)) {
            Optional<PeerException> v15 = activeException(peer, RSA_PKCS1_V15_KEY_TRANSPORT);
            if (v15.isPresent()) {
                return new EncryptionSpec(content, RSA_PKCS1_V15_KEY_TRANSPORT, null, SHA256,
                        join(flag, flagOf(v15.get())));
            }
            return new EncryptionSpec(content, RSAES_OAEP, null, SHA256, flag);
        }
        if (isEc(recipientKey)) {
            Algorithm kdf = digestFor(recipientKey);
            return new EncryptionSpec(content, ECDH_ES, AES256_WRAP, kdf, flag);
        }
        throw keyTypeRefused(recipientKey, "encryption");
    }

    // ------------------------------------------------------------------ checks

    /** Where an algorithm stands, for tables and the console. */
    public Status statusOf(Algorithm algorithm) {
        return ALGORITHMS.get(algorithm).status();
    }

    /**
     * Checks an algorithm for a new message towards a peer (null: no particular peer). Returns a flagged decision
     * for a legacy algorithm under an active peer exception.
     */
    public Decision checkForNewMessage(Algorithm.Kind kind, Algorithm algorithm, String peer)
            throws PolicyViolationException {
        requireKind(kind, algorithm);
        PolicyEntry entry = ALGORITHMS.get(algorithm);
        switch (entry.status()) {
            case ALLOWED:
                return Decision.clean(algorithm.displayName());
            case LEGACY_INBOUND:
                Optional<PeerException> e = activeException(peer, algorithm);
                if (e.isPresent()) {
                    return new Decision(algorithm.displayName(), Status.LEGACY_INBOUND, flagOf(e.get()));
                }
                throw new PolicyViolationException(LEGACY_NOT_FOR_NEW_MESSAGES, algorithm.displayName(),
                        algorithm.displayName() + " is not used for new messages"
                                + (peer == null ? "" : " to " + peer) + " (" + entry.source() + ")");
            default:
                throw refused(algorithm, entry);
        }
    }

    /** Checks an algorithm found in an inbound message; legacy ones come back flagged. */
    public Decision checkInbound(Algorithm.Kind kind, Algorithm algorithm) throws PolicyViolationException {
        requireKind(kind, algorithm);
        PolicyEntry entry = ALGORITHMS.get(algorithm);
        switch (entry.status()) {
            case ALLOWED:
                return Decision.clean(algorithm.displayName());
            case LEGACY_INBOUND:
                if (!acceptLegacyInbound) {
                    throw new PolicyViolationException(LEGACY_REFUSED_INBOUND, algorithm.displayName(),
                            algorithm.displayName() + " is legacy and this installation refuses legacy inbound ("
                                    + entry.source() + ")");
                }
                return new Decision(algorithm.displayName(), Status.LEGACY_INBOUND,
                        algorithm.displayName() + " accepted inbound as legacy (" + entry.source() + ")");
            default:
                throw refused(algorithm, entry);
        }
    }

    /** Checks an inbound algorithm given by its CMS object identifier; an unknown one is refused. */
    public Decision checkInboundOid(Algorithm.Kind kind, String oid) throws PolicyViolationException {
        Algorithm a = Algorithm.byOid(kind, oid).orElseThrow(() -> new PolicyViolationException(UNKNOWN_ALGORITHM, oid,
                "unknown " + kind.name().toLowerCase().replace('_', ' ') + " algorithm " + oid
                        + " is refused (the policy accepts only what it knows)"));
        return checkInbound(kind, a);
    }

    /** Checks an inbound algorithm given by its XML identifier; an unknown one is refused. */
    public Decision checkInboundXmlUri(Algorithm.Kind kind, String uri) throws PolicyViolationException {
        Algorithm a = Algorithm.byXmlUri(kind, uri).orElseThrow(() -> new PolicyViolationException(UNKNOWN_ALGORITHM,
                String.valueOf(uri), "unknown " + kind.name().toLowerCase().replace('_', ' ') + " algorithm " + uri
                        + " is refused (the policy accepts only what it knows)"));
        return checkInbound(kind, a);
    }

    /** Checks a key that is about to be generated or certified for our own use: RSA ≥ 3072, named curves ≥ 256. */
    public Decision requireNewKey(PublicKey key) throws PolicyViolationException {
        return checkKey(key, true, "own");
    }

    /**
     * Checks a recipient's key before a new message is encrypted for it. The same bar as for new keys: a message
     * is not encrypted for a key the policy would not create.
     */
    public Decision requireRecipientKey(PublicKey key, String peer) throws PolicyViolationException {
        return checkKey(key, true, peer == null ? "recipient" : peer);
    }

    /** Checks a key seen inbound (a signer's, a partner certificate's): smaller RSA keys are flagged legacy. */
    public Decision checkInboundKey(PublicKey key) throws PolicyViolationException {
        return checkKey(key, false, "inbound");
    }

    /** Checks a symmetric key's length (AES only, ≥ 128 bits). */
    public Decision checkSecretKey(SecretKey key) throws PolicyViolationException {
        String alg = key.getAlgorithm();
        int bits = key.getEncoded() == null ? 0 : key.getEncoded().length * 8;
        if (!"AES".equalsIgnoreCase(alg)) {
            throw new PolicyViolationException(KEY_TYPE_NOT_ALLOWED, alg, alg + " keys are refused; only AES is used ("
                    + TR02102 + " 2.1)");
        }
        if (bits < 128) {
            throw new PolicyViolationException(KEY_TOO_SHORT, "AES " + bits + " bit",
                    "AES key of " + bits + " bits is too short: at least 128 (" + TR02102 + " 2.1)");
        }
        return Decision.clean("AES " + bits + " bit");
    }

    /** The tables, for documentation and the console: algorithms, curves and RSA sizes with their sources. */
    public List<PolicyEntry> table() {
        List<PolicyEntry> rows = new ArrayList<>(ALGORITHMS.values());
        CURVES.values().stream().map(c -> new PolicyEntry(c.name, c.status, c.source)).forEach(rows::add);
        rows.add(new PolicyEntry("RSA ≥ " + RSA_MIN_BITS + " bit", Status.ALLOWED, TR02102 + " table 1.2"));
        rows.add(new PolicyEntry("RSA " + RSA_LEGACY_MIN_BITS + "–" + (RSA_MIN_BITS - 1) + " bit", Status.LEGACY_INBOUND,
                TR02102 + " 3.6: the transition for ≥ 2000 bit ended 2023"));
        rows.add(new PolicyEntry("RSA < " + RSA_LEGACY_MIN_BITS + " bit", Status.REFUSED, TR02102 + " table 1.2"));
        return List.copyOf(rows);
    }

    /** The configured peer exceptions, for the console. */
    public List<PeerException> peerExceptions() {
        return peerExceptions.values().stream().flatMap(List::stream).toList();
    }

    public boolean acceptsLegacyInbound() {
        return acceptLegacyInbound;
    }

    /** The name of the curve of an EC key ("brainpoolP256r1"), or a refusal if it is not a named curve we know. */
    public static String curveName(PublicKey key) throws PolicyViolationException {
        return curveOf(key).name;
    }

    // ------------------------------------------------------------------ internals

    private Decision checkKey(PublicKey key, boolean forNew, String whose) throws PolicyViolationException {
        Objects.requireNonNull(key, "key");
        if (isRsa(key)) {
            int bits = ((RSAKey) key).getModulus().bitLength();
            String subject = "RSA " + bits + " bit";
            if (bits >= RSA_MIN_BITS) {
                return Decision.clean(subject);
            }
            if (!forNew && bits >= RSA_LEGACY_MIN_BITS) {
                if (!acceptLegacyInbound) {
                    throw new PolicyViolationException(LEGACY_REFUSED_INBOUND, subject, subject
                            + " key is legacy and this installation refuses legacy inbound (" + TR02102 + " 3.6)");
                }
                return new Decision(subject, Status.LEGACY_INBOUND, subject + " key accepted inbound as legacy ("
                        + TR02102 + " 3.6)");
            }
            throw new PolicyViolationException(KEY_TOO_SHORT, subject, "RSA key of " + bits + " bits (" + whose
                    + ") is too short: at least " + (forNew ? RSA_MIN_BITS : RSA_LEGACY_MIN_BITS) + " ("
                    + TR02102 + " table 1.2)");
        }
        if (isEc(key)) {
            Curve curve = curveOf(key);
            switch (curve.status) {
                case ALLOWED:
                    return Decision.clean(curve.name);
                case LEGACY_INBOUND:
                    if (forNew) {
                        throw new PolicyViolationException(CURVE_NOT_ALLOWED, curve.name, "curve " + curve.name
                                + " (" + whose + ") is not used for new keys or messages (" + curve.source + ")");
                    }
                    if (!acceptLegacyInbound) {
                        throw new PolicyViolationException(LEGACY_REFUSED_INBOUND, curve.name, "curve " + curve.name
                                + " is legacy and this installation refuses legacy inbound (" + curve.source + ")");
                    }
                    return new Decision(curve.name, Status.LEGACY_INBOUND, "curve " + curve.name
                            + " accepted inbound as legacy (" + curve.source + ")");
                default:
                    throw new PolicyViolationException(curve.bits > 0 && curve.bits < 250 ? KEY_TOO_SHORT
                            : CURVE_NOT_ALLOWED, curve.name, "curve " + curve.name + " (" + whose + ") is refused ("
                            + curve.source + ")");
            }
        }
        if ("Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            if (!forNew && acceptLegacyInbound) {
                return new Decision("Ed25519", Status.LEGACY_INBOUND,
                        "Ed25519 key accepted inbound (RFC 8551; not in " + TR02102 + ")");
            }
        }
        throw keyTypeRefused(key, whose);
    }

    private static PolicyViolationException keyTypeRefused(PublicKey key, String use) {
        return new PolicyViolationException(KEY_TYPE_NOT_ALLOWED, key.getAlgorithm(), key.getAlgorithm()
                + " keys are refused for " + use + " use; RSA ≥ " + RSA_MIN_BITS + " or EC on a named curve ≥ 256 bit ("
                + TR03116 + " 4.2)");
    }

    private static void requireKind(Algorithm.Kind kind, Algorithm algorithm) throws PolicyViolationException {
        if (algorithm.kind() != kind) {
            throw new PolicyViolationException(WRONG_KIND, algorithm.displayName(), algorithm.displayName() + " is a "
                    + algorithm.kind().name().toLowerCase().replace('_', ' ') + " algorithm, not a "
                    + kind.name().toLowerCase().replace('_', ' ') + " algorithm");
        }
    }

    private static PolicyViolationException refused(Algorithm algorithm, PolicyEntry entry) {
        return new PolicyViolationException(ALGORITHM_REFUSED, algorithm.displayName(),
                algorithm.displayName() + " is refused (" + entry.source() + ")");
    }

    private Optional<PeerException> activeException(String peer, Algorithm algorithm) {
        if (peer == null) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.now(clock);
        return peerExceptions.getOrDefault(peer, List.of()).stream()
                .filter(e -> e.algorithm() == algorithm && !today.isAfter(e.until()))
                .findFirst();
    }

    private static String flagOf(PeerException e) {
        return e.algorithm().displayName() + " used for " + e.peer() + " under a peer exception until " + e.until()
                + " (" + e.reason() + ")";
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }

    private static boolean isRsa(PublicKey key) {
        return key instanceof RSAKey || "RSA".equalsIgnoreCase(key.getAlgorithm())
                || "RSASSA-PSS".equalsIgnoreCase(key.getAlgorithm());
    }

    private static boolean isEc(PublicKey key) {
        return "EC".equalsIgnoreCase(key.getAlgorithm()) || "ECDSA".equalsIgnoreCase(key.getAlgorithm());
    }

    private static Curve curveOf(PublicKey key) throws PolicyViolationException {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new PolicyViolationException(CURVE_NOT_ALLOWED, "unknown curve",
                    "the EC key does not reveal its curve; only named curves are accepted");
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(encoded);
        if (!(info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid)) {
            throw new PolicyViolationException(CURVE_NOT_ALLOWED, "explicit curve parameters",
                    "EC keys with explicit curve parameters are refused; only named curves (" + TR03116 + " 4.2)");
        }
        Curve curve = CURVES.get(oid.getId());
        if (curve == null) {
            throw new PolicyViolationException(CURVE_NOT_ALLOWED, oid.getId(), "curve " + oid.getId()
                    + " is not one of the named curves brainpoolP256r1/P384r1/P512r1 or P-256/P-384/P-521 ("
                    + TR03116 + " 4.2)");
        }
        return curve;
    }

    private record Curve(String name, int bits, Status status, String source) {
    }

    private static Map<String, Curve> curveTable() {
        String allowed = TR03116 + " 4.2 (named curves; brainpool recommended)";
        Map<String, Curve> m = new LinkedHashMap<>();
        m.put("1.3.36.3.3.2.8.1.1.7", new Curve("brainpoolP256r1", 256, Status.ALLOWED, allowed));
        m.put("1.3.36.3.3.2.8.1.1.11", new Curve("brainpoolP384r1", 384, Status.ALLOWED, allowed));
        m.put("1.3.36.3.3.2.8.1.1.13", new Curve("brainpoolP512r1", 512, Status.ALLOWED, allowed));
        m.put("1.2.840.10045.3.1.7", new Curve("P-256", 256, Status.ALLOWED, allowed));
        m.put("1.3.132.0.34", new Curve("P-384", 384, Status.ALLOWED, allowed));
        m.put("1.3.132.0.35", new Curve("P-521", 521, Status.ALLOWED, allowed));
        m.put("1.3.36.3.3.2.8.1.1.9", new Curve("brainpoolP320r1", 320, Status.LEGACY_INBOUND,
                TR02102 + " lists it; " + TR03116 + " 4.2 does not for S/MIME"));
        m.put("1.3.132.0.33", new Curve("P-224", 224, Status.REFUSED, TR03116 + " 4.2: P-224 only until 2022"));
        m.put("1.3.36.3.3.2.8.1.1.5", new Curve("brainpoolP224r1", 224, Status.REFUSED,
                TR03116 + " 4.2: brainpoolP224r1 only until 2022"));
        m.put("1.2.840.10045.3.1.1", new Curve("P-192", 192, Status.REFUSED, TR02102 + " table 1.2: ECDSA ≥ 250 bit"));
        m.put("1.3.132.0.10", new Curve("secp256k1", 256, Status.REFUSED, TR03116 + " 4.2 does not list it"));
        return Collections.unmodifiableMap(m);
    }

    private static Map<Algorithm, PolicyEntry> algorithmTable() {
        Map<Algorithm, PolicyEntry> t = new EnumMap<>(Algorithm.class);
        String hash = TR02102 + " 4.1; " + TR03116 + " 4.2: SHA-2 ≥ 256 bit";
        t.put(MD5, new PolicyEntry("MD5", Status.REFUSED, TR02102 + " 4.1: MD5 is broken"));
        t.put(SHA1, new PolicyEntry("SHA-1", Status.REFUSED, TR02102 + " 4.1: SHA-1 is not collision resistant"));
        t.put(SHA224, new PolicyEntry("SHA-224", Status.REFUSED, TR03116 + " 4.2: SHA-224 only until 2022"));
        for (Algorithm a : List.of(SHA256, SHA384, SHA512)) {
            t.put(a, new PolicyEntry(a.displayName(), Status.ALLOWED, hash));
        }
        for (Algorithm a : List.of(SHA3_256, SHA3_384, SHA3_512)) {
            t.put(a, new PolicyEntry(a.displayName(), Status.ALLOWED, TR02102 + " 4.1: SHA3-256/384/512"));
        }
        t.put(RSASSA_PSS, new PolicyEntry("RSASSA-PSS", Status.ALLOWED, TR02102 + " 5.4.1; " + TR03116 + " 4.2"));
        t.put(ECDSA, new PolicyEntry("ECDSA", Status.ALLOWED, TR02102 + " 5.4.2; " + TR03116 + " 4.2"));
        t.put(RSA_PKCS1_V15_SIGNATURE, new PolicyEntry("RSA PKCS#1 v1.5 signature", Status.LEGACY_INBOUND,
                TR02102 + " 5.4.1 (legacy since 2019); " + TR03116 + " table 24: transition ended 2023"));
        t.put(ED25519, new PolicyEntry("Ed25519", Status.LEGACY_INBOUND, "RFC 8551 requires it; not in " + TR02102));
        t.put(DSA, new PolicyEntry("DSA", Status.REFUSED, TR03116 + " 4.2 does not list DSA for S/MIME"));
        t.put(RSAES_OAEP, new PolicyEntry("RSAES-OAEP", Status.ALLOWED, TR02102 + " 3.6; " + TR03116 + " 4.2"));
        t.put(RSAES_OAEP_SHA1, new PolicyEntry("RSAES-OAEP with SHA-1", Status.LEGACY_INBOUND,
                TR02102 + " 4.1 advises SHA-2 even in MGF1; OAEP does not rest on collision resistance"));
        t.put(RSA_PKCS1_V15_KEY_TRANSPORT, new PolicyEntry("RSA PKCS#1 v1.5 key transport", Status.LEGACY_INBOUND,
                TR02102 + " 3.6 (legacy); " + TR03116 + " 4.2 does not list it (Bleichenbacher)"));
        t.put(ECDH_ES, new PolicyEntry("ECDH-ES", Status.ALLOWED, TR02102 + " 3.3; " + TR03116 + " 4.2"));
        t.put(ECDH_ES_SHA1_KDF, new PolicyEntry("ECDH with SHA-1 KDF", Status.REFUSED,
                TR02102 + " 4.1: SHA-1 not even in KDFs"));
        for (Algorithm a : List.of(AES128_WRAP, AES192_WRAP, AES256_WRAP)) {
            t.put(a, new PolicyEntry(a.displayName(), Status.ALLOWED, TR03116 + " 4.2: AES-Wrap ≥ 128"));
        }
        t.put(DES_EDE3_WRAP, new PolicyEntry("3DES key wrap", Status.REFUSED, TR02102 + " 2.1: only AES"));
        for (Algorithm a : List.of(AES128_GCM, AES192_GCM, AES256_GCM)) {
            t.put(a, new PolicyEntry(a.displayName(), Status.ALLOWED, TR02102 + " 2.1; " + TR03116 + " 4.2"));
        }
        for (Algorithm a : List.of(AES128_CBC, AES192_CBC, AES256_CBC)) {
            t.put(a, new PolicyEntry(a.displayName(), Status.LEGACY_INBOUND,
                    TR03116 + " 4.2: AES-CBC only until 2025"));
        }
        t.put(CHACHA20_POLY1305, new PolicyEntry("ChaCha20-Poly1305", Status.LEGACY_INBOUND,
                "RFC 8551 SHOULD; not in " + TR02102));
        t.put(DES_EDE3_CBC, new PolicyEntry("3DES-CBC", Status.REFUSED, TR02102 + " 2.1: only AES"));
        t.put(RC2_CBC, new PolicyEntry("RC2-CBC", Status.REFUSED, TR02102 + " 2.1: only AES"));
        t.put(DES_CBC, new PolicyEntry("DES-CBC", Status.REFUSED, TR02102 + " 2.1: only AES"));
        for (Algorithm a : Algorithm.values()) {
            if (!t.containsKey(a)) {
                throw new IllegalStateException("policy table has no row for " + a);
            }
        }
        return Collections.unmodifiableMap(t);
    }

    /** Builds a policy; the defaults are the BSI tables with legacy inbound accepted and flagged. */
    public static final class Builder {
        private final List<PeerException> peerExceptions = new ArrayList<>();
        private boolean acceptLegacyInbound = true;
        private Clock clock = Clock.systemUTC();

        /**
         * Allows a legacy algorithm for new messages to one peer. Refused algorithms cannot be excepted: that fails
         * here, at configuration time.
         */
        public Builder peerException(PeerException exception) {
            if (ALGORITHMS.get(exception.algorithm()).status() != Status.LEGACY_INBOUND) {
                throw new IllegalArgumentException("no peer exception for " + exception.algorithm().displayName()
                        + " (" + exception.peer() + "): only legacy algorithms can be excepted, and "
                        + exception.algorithm().displayName() + " is " + ALGORITHMS.get(exception.algorithm()).status());
            }
            peerExceptions.add(exception);
            return this;
        }

        /** Refuses the legacy table inbound too (a partner using PKCS#1 v1.5 signatures is then rejected). */
        public Builder refuseLegacyInbound() {
            this.acceptLegacyInbound = false;
            return this;
        }

        /** The clock that ends peer exceptions; tests set it. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public AlgorithmPolicy build() {
            return new AlgorithmPolicy(this);
        }
    }
}
