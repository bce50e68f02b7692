package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.KeyVaultException.Reason;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The life cycle every vault shares — ledger, policy checks, requests, import checks, rotation — over a store that a
 * subclass provides (a PKCS#12 file, a PKCS#11 token). Changes run under the ledger's lock: first the store is changed,
 * then the ledger, so that a crash in between leaves at worst a key the ledger does not know (never used) or a pending
 * key whose certificate is already stored (import it again).
 */
abstract class LedgerKeyVault implements KeyVault {

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss'z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final String[] KEY_USAGE_NAMES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
        "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};

    final KeyLedger ledger;
    final AlgorithmPolicy policy;
    final Clock clock;
    private final Map<String, PrivateKeyHandle> handles = new HashMap<>();
    private boolean closed;

    LedgerKeyVault(KeyLedger ledger, AlgorithmPolicy policy, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------ the store, per vault

    /** Picks up changes another process made to the store; {@code ledgerChanged} says whether the ledger changed. */
    abstract void refreshStore(boolean ledgerChanged) throws KeyVaultException;

    abstract boolean storeContains(String alias) throws KeyVaultException;

    /**
     * Generates a key pair inside the store under {@code alias}, stored with a placeholder certificate made by
     * {@link #placeholder}; returns the public key.
     */
    abstract PublicKey generateInStore(String alias, KeyPurpose purpose, KeySpec spec) throws CryptoException;

    /** The certificate chain stored for the key, or null if the store does not hold it. */
    abstract List<X509Certificate> storedChain(String alias) throws KeyVaultException;

    /** Replaces the key's certificate chain in the store. */
    abstract void storeChain(String alias, List<X509Certificate> chain) throws KeyVaultException;

    abstract PrivateKeyHandle loadHandle(KeyRef ref, List<X509Certificate> chain) throws KeyVaultException;

    /** The store, as error messages name it. */
    abstract String describe();

    /** Forgets what the subclass holds in memory (password, PIN). */
    abstract void forgetSecrets();

    // ------------------------------------------------------------------ KeyVault

    @Override
    public synchronized KeyRef generate(String owner, KeyPurpose purpose, KeySpec spec)
            throws KeyVaultException, PolicyViolationException {
        return createPending(owner, purpose, spec, Duration.ZERO, false);
    }

    @Override
    public synchronized KeyRef rotate(String owner, KeyPurpose purpose, KeySpec spec, Duration overlap)
            throws KeyVaultException, PolicyViolationException {
        if (overlap == null || overlap.isNegative()) {
            throw new IllegalArgumentException("the overlap of a rotation must be zero or more: " + overlap);
        }
        return createPending(owner, purpose, spec, overlap, true);
    }

    private KeyRef createPending(String owner, KeyPurpose purpose, KeySpec spec, Duration overlap, boolean rotation)
            throws KeyVaultException, PolicyViolationException {
        new KeyRef(owner, purpose, "check"); // the owner's spelling is checked before anything happens
        Objects.requireNonNull(spec, "spec");
        requireOpen();
        policy.requireNewKey(describedKey(spec));
        try (KeyLedger.Lock lock = ledger.lock()) {
            refresh();
            KeyLedger.Entry active = active(owner, purpose);
            if (!rotation && active != null) {
                throw new KeyVaultException(Reason.ACTIVE_KEY_EXISTS, owner + " already has the active " + purpose
                        + " key " + active.ref() + "; replacing it is a rotation, with an overlap for decryption");
            }
            String alias = newAlias(owner, purpose);
            KeyRef ref = new KeyRef(owner, purpose, alias);
            try {
                generateInStore(alias, purpose, spec);
            } catch (KeyVaultException | PolicyViolationException e) {
                throw e;
            } catch (CryptoException e) {
                throw new KeyVaultException(Reason.STORE_FAILURE, "could not generate " + spec + " key " + alias
                        + " in " + describe() + ": " + e.getMessage(), e);
            }
            Map<String, KeyLedger.Entry> entries = new LinkedHashMap<>(ledger.entries());
            entries.put(alias, KeyLedger.Entry.pending(ref, clock.instant(), overlap));
            ledger.write(entries);
            return ref;
        }
    }

    @Override
    public synchronized String csr(KeyRef key, CsrSubject subject)
            throws KeyVaultException, KeyOperationException, PolicyViolationException {
        Objects.requireNonNull(subject, "subject");
        requireOpen();
        refresh();
        KeyLedger.Entry entry = entry(key);
        if (entry.stateAt(clock.instant()) != KeyState.PENDING) {
            throw new KeyVaultException(Reason.WRONG_STATE, "key " + key + " is " + entry.stateAt(clock.instant())
                    + "; certificate requests are made for pending keys (a new certificate means a new key: rotate)");
        }
        PrivateKeyHandle handle = handle(entry);
        PublicKey publicKey = handle.certificate().getPublicKey();
        SignatureSpec spec = policy.signatureFor(publicKey, null);
        CertificateProfile profile = profileOf(key.purpose());
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "DE")
                .addRDN(BCStyle.O, subject.organisation())
                .addRDN(BCStyle.CN, subject.commonName() != null ? subject.commonName() : key.owner()).build();
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.keyUsage, true, profile.keyUsage(keyType(publicKey)));
            if (!profile.extendedKeyUsages().isEmpty()) {
                extensions.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            }
            if (!subject.emailAddresses().isEmpty()) {
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                        subject.emailAddresses().stream().map(a -> new GeneralName(GeneralName.rfc822Name, a))
                                .toArray(GeneralName[]::new)));
            }
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(name, publicKey)
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new HandleContentSigner(spec, handle::sign));
            return Pem.encode(request);
        } catch (RuntimeOperatorException e) {
            throw HandleContentSigner.unwrap(e, "the certificate request of key " + key);
        } catch (IOException e) {
            throw new KeyOperationException("could not encode the certificate request of key " + key + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized KeyInfo importCertificate(KeyRef key, List<X509Certificate> chain)
            throws KeyVaultException, PolicyViolationException {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("importing to key " + key + " needs at least its certificate");
        }
        requireOpen();
        try (KeyLedger.Lock lock = ledger.lock()) {
            refresh();
            KeyLedger.Entry entry = entry(key);
            Instant now = clock.instant();
            if (entry.stateAt(now) != KeyState.PENDING) {
                throw new KeyVaultException(Reason.WRONG_STATE, "key " + key + " is " + entry.stateAt(now)
                        + "; certificates are imported to pending keys");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (X509Certificate c : chain) {
                certificates.add(jdkCertificate(c));
            }
            X509Certificate certificate = certificates.get(0);
            List<X509Certificate> stored = requireStored(entry);
            if (!sameKey(stored.get(0).getPublicKey(), certificate.getPublicKey())) {
                throw new KeyVaultException(Reason.KEY_MISMATCH, "the certificate " + describe(certificate)
                        + " certifies another public key than the one of pending key " + key);
            }
            checkUsage(key, certificate);
            if (now.isAfter(certificate.getNotAfter().toInstant())) {
                throw new KeyVaultException(Reason.CERTIFICATE_EXPIRED, "the certificate " + describe(certificate)
                        + " for key " + key + " expired at " + certificate.getNotAfter().toInstant());
            }
            if (now.isBefore(certificate.getNotBefore().toInstant())) {
                throw new KeyVaultException(Reason.CERTIFICATE_NOT_YET_VALID, "the certificate "
                        + describe(certificate) + " for key " + key + " is valid only from "
                        + certificate.getNotBefore().toInstant());
            }
            checkChain(key, certificates);
            policy.requireNewKey(certificate.getPublicKey());

            storeChain(key.id(), certificates);
            handles.clear();
            Map<String, KeyLedger.Entry> entries = new LinkedHashMap<>(ledger.entries());
            KeyLedger.Entry predecessor = active(key.owner(), key.purpose());
            if (predecessor != null) {
                entries.put(predecessor.ref().id(), entry.overlap().isZero() ? predecessor.retire(now)
                        : predecessor.overlapUntil(now.plus(entry.overlap())));
            }
            KeyLedger.Entry activated = entry.activate(now);
            entries.put(key.id(), activated);
            ledger.write(entries);
            return info(activated);
        }
    }

    @Override
    public synchronized List<KeyInfo> list() throws KeyVaultException {
        requireOpen();
        refresh();
        List<KeyInfo> infos = new ArrayList<>();
        for (KeyLedger.Entry e : ledger.entries().values()) {
            infos.add(info(e));
        }
        return List.copyOf(infos);
    }

    @Override
    public synchronized List<X509Certificate> certificates(KeyRef key) throws KeyVaultException {
        requireOpen();
        refresh();
        KeyLedger.Entry entry = entry(key);
        List<X509Certificate> chain = storedChain(entry.ref().id());
        return chain == null ? List.of() : List.copyOf(chain);
    }

    @Override
    public synchronized PrivateKeyHandle signingKey(String owner, KeyPurpose purpose) throws KeyVaultException {
        if (purpose == KeyPurpose.ENCRYPTION) {
            throw new KeyVaultException(Reason.WRONG_PURPOSE, "encryption keys do not sign; the keys that decrypt "
                    + owner + "'s messages come from decryptionKeys");
        }
        requireOpen();
        refresh();
        KeyLedger.Entry active = active(owner, purpose);
        if (active == null) {
            throw new KeyVaultException(Reason.NO_ACTIVE_KEY, owner + " has no active " + purpose + " key in "
                    + describe());
        }
        return handle(active);
    }

    @Override
    public synchronized List<PrivateKeyHandle> decryptionKeys(String owner) throws KeyVaultException {
        requireOpen();
        refresh();
        Instant now = clock.instant();
        List<KeyLedger.Entry> usable = new ArrayList<>();
        for (KeyLedger.Entry e : ledger.entries().values()) {
            KeyState state = e.stateAt(now);
            if (e.ref().owner().equals(owner) && e.ref().purpose() == KeyPurpose.ENCRYPTION
                    && (state == KeyState.ACTIVE || state == KeyState.OVERLAP)) {
                usable.add(e);
            }
        }
        usable.sort(Comparator.comparing((KeyLedger.Entry e) -> e.stateAt(now) == KeyState.ACTIVE ? 0 : 1)
                .thenComparing(KeyLedger.Entry::activated, Comparator.reverseOrder()));
        List<PrivateKeyHandle> result = new ArrayList<>();
        for (KeyLedger.Entry e : usable) {
            result.add(handle(e));
        }
        return List.copyOf(result);
    }

    @Override
    public synchronized void retire(KeyRef key) throws KeyVaultException {
        requireOpen();
        try (KeyLedger.Lock lock = ledger.lock()) {
            refresh();
            KeyLedger.Entry entry = entry(key);
            if (entry.state() == KeyState.RETIRED) {
                return;
            }
            Map<String, KeyLedger.Entry> entries = new LinkedHashMap<>(ledger.entries());
            entries.put(key.id(), entry.retire(clock.instant()));
            ledger.write(entries);
            handles.remove(key.id());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        handles.clear();
        forgetSecrets();
    }

    @Override
    public String toString() {
        return describe();
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /**
     * Checks at opening that the store holds every key the ledger does not list as retired, so that a ledger opened
     * with the wrong store (another token, a restored file) fails at once and by name.
     */
    void requireLedgerKeysInStore() throws KeyVaultException {
        Instant now = clock.instant();
        for (KeyLedger.Entry e : ledger.entries().values()) {
            if (e.stateAt(now) != KeyState.RETIRED) {
                requireStored(e);
            }
        }
    }

    /**
     * The self-signed placeholder a pending key carries until its certificate comes (a PKCS#11 key entry and a
     * PKCS#12 key entry both need a certificate, as keytool's do), signed by the new key itself.
     */
    X509Certificate placeholder(String alias, PublicKey publicKey, HandleContentSigner.DataSigner signer)
            throws CryptoException {
        SignatureSpec spec = policy.signatureFor(publicKey, null);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Amtsbote")
                .addRDN(BCStyle.OU, "pending key, not certified").addRDN(BCStyle.CN, alias).build();
        Instant now = clock.instant();
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM).setBit(126),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(365))), name, publicKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return jdkCertificate(b.build(new HandleContentSigner(spec, signer)).getEncoded());
        } catch (RuntimeOperatorException e) {
            throw HandleContentSigner.unwrap(e, "the placeholder certificate of key " + alias);
        } catch (IOException e) {
            throw new KeyOperationException("could not encode the placeholder certificate of key " + alias, e);
        }
    }

    /** The certificate as the JDK parses it, so that stores compare keys of one implementation. */
    static X509Certificate jdkCertificate(X509Certificate certificate) throws KeyVaultException {
        try {
            return jdkCertificate(certificate.getEncoded());
        } catch (CertificateException e) {
            throw new KeyVaultException(Reason.BROKEN_CHAIN, "cannot read the certificate "
                    + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    static X509Certificate jdkCertificate(byte[] der) throws KeyVaultException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new KeyVaultException(Reason.BROKEN_CHAIN, "cannot read a certificate: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ internals

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(describe() + " is closed");
        }
    }

    private void refresh() throws KeyVaultException {
        boolean ledgerChanged = ledger.refresh();
        refreshStore(ledgerChanged);
        if (ledgerChanged) {
            handles.clear();
        }
    }

    private KeyLedger.Entry entry(KeyRef key) throws KeyVaultException {
        KeyLedger.Entry e = ledger.entries().get(key.id());
        if (e == null || !e.ref().equals(key)) {
            throw new KeyVaultException(Reason.UNKNOWN_KEY, "no key " + key + " (" + key.owner() + ", " + key.purpose()
                    + ") in " + describe());
        }
        return e;
    }

    private KeyLedger.Entry active(String owner, KeyPurpose purpose) {
        Instant now = clock.instant();
        return ledger.entries().values().stream()
                .filter(e -> e.ref().owner().equals(owner) && e.ref().purpose() == purpose
                        && e.stateAt(now) == KeyState.ACTIVE)
                .findFirst().orElse(null);
    }

    private PrivateKeyHandle handle(KeyLedger.Entry entry) throws KeyVaultException {
        PrivateKeyHandle h = handles.get(entry.ref().id());
        if (h == null) {
            h = loadHandle(entry.ref(), requireStored(entry));
            handles.put(entry.ref().id(), h);
        }
        return h;
    }

    private List<X509Certificate> requireStored(KeyLedger.Entry entry) throws KeyVaultException {
        List<X509Certificate> chain = storedChain(entry.ref().id());
        if (chain == null || chain.isEmpty()) {
            throw new KeyVaultException(Reason.STORE_FAILURE, "the key ledger " + ledger.file() + " lists key "
                    + entry.ref() + " as " + entry.state() + ", but " + describe() + " does not hold it");
        }
        return chain;
    }

    private KeyInfo info(KeyLedger.Entry e) throws KeyVaultException {
        KeyState state = e.stateAt(clock.instant());
        List<X509Certificate> chain = storedChain(e.ref().id());
        if (chain == null || chain.isEmpty()) {
            if (state != KeyState.RETIRED) {
                requireStored(e);
            }
            return new KeyInfo(e.ref(), state, null, null, null, null, null, null, hardware(), e.created());
        }
        X509Certificate c = chain.get(0);
        return new KeyInfo(e.ref(), state, state == KeyState.OVERLAP ? e.until() : null,
                c.getSubjectX500Principal().getName(), c.getSerialNumber(), c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(), keySpecOf(c.getPublicKey()), hardware(), e.created());
    }

    private String newAlias(String owner, KeyPurpose purpose) throws KeyVaultException {
        String suffix = "." + purpose.name().toLowerCase(Locale.ROOT) + "." + ID_TIME.format(clock.instant());
        int room = 124 - suffix.length(); // KeyRef ids have at most 128 characters; keep 4 for a counter
        String base = (owner.length() > room ? owner.substring(0, room) : owner) + suffix;
        String alias = base;
        for (int n = 2; ledger.entries().containsKey(alias) || storeContains(alias); n++) {
            alias = base + "-" + n;
        }
        return alias;
    }

    private static CertificateProfile profileOf(KeyPurpose purpose) {
        switch (purpose) {
            case SIGNING:
                return CertificateProfile.SIGNING;
            case ENCRYPTION:
                return CertificateProfile.ENCRYPTION;
            case EVIDENCE:
                return CertificateProfile.EVIDENCE;
            case TLS:
                return CertificateProfile.TLS_CLIENT;
            default:
                throw new IllegalArgumentException("no certificate profile for " + purpose);
        }
    }

    private static String keyType(PublicKey key) {
        return key instanceof ECPublicKey || "EC".equals(key.getAlgorithm()) ? "EC" : "RSA";
    }

    /**
     * What the key usages of a certificate must be for a key of each purpose: the bits it needs, and the bits it must
     * not have, because a key serves one purpose only ({@link KeyPurpose}).
     */
    private static void checkUsage(KeyRef key, X509Certificate certificate) throws KeyVaultException {
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null) {
            throw new KeyVaultException(Reason.WRONG_KEY_USAGE, "the certificate " + describe(certificate)
                    + " for key " + key + " has no key usage; a " + key.purpose() + " certificate must state it");
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw new KeyVaultException(Reason.WRONG_KEY_USAGE, "the certificate " + describe(certificate)
                    + " for key " + key + " is a CA certificate");
        }
        boolean ec = "EC".equals(keyType(certificate.getPublicKey()));
        Set<Integer> required;
        Set<Integer> forbidden;
        List<String> extendedUsages;
        switch (key.purpose()) {
            case SIGNING:
                required = Set.of(0);
                forbidden = Set.of(2, 3, 4, 5, 6);
                extendedUsages = List.of(KeyPurposeId.id_kp_emailProtection.getId());
                break;
            case EVIDENCE:
                required = Set.of(0, 1);
                forbidden = Set.of(2, 3, 4, 5, 6);
                extendedUsages = List.of();
                break;
            case ENCRYPTION:
                required = Set.of(ec ? 4 : 2);
                forbidden = Set.of(0, 1, 5, 6);
                extendedUsages = List.of(KeyPurposeId.id_kp_emailProtection.getId());
                break;
            case TLS:
                required = Set.of(0);
                forbidden = Set.of(5, 6);
                extendedUsages = List.of(KeyPurposeId.id_kp_clientAuth.getId(), KeyPurposeId.id_kp_serverAuth.getId());
                break;
            default:
                throw new IllegalArgumentException("no key usage rule for " + key.purpose());
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (int bit = 0; bit < KEY_USAGE_NAMES.length; bit++) {
            boolean set = bit < usage.length && usage[bit];
            if (required.contains(bit) && !set) {
                missing.add(KEY_USAGE_NAMES[bit]);
            }
            if (forbidden.contains(bit) && set) {
                extra.add(KEY_USAGE_NAMES[bit]);
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new KeyVaultException(Reason.WRONG_KEY_USAGE, "the certificate " + describe(certificate)
                    + " for " + key.purpose() + " key " + key + " has key usage " + usageNames(usage)
                    + (missing.isEmpty() ? "" : "; it lacks " + missing)
                    + (extra.isEmpty() ? "" : "; a " + key.purpose() + " key must not have " + extra));
        }
        List<String> eku;
        try {
            eku = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new KeyVaultException(Reason.WRONG_KEY_USAGE, "the extended key usage of " + describe(certificate)
                    + " cannot be read: " + e.getMessage(), e);
        }
        if (eku != null && !extendedUsages.isEmpty() && !eku.contains(ANY_EXTENDED_KEY_USAGE)
                && extendedUsages.stream().noneMatch(eku::contains)) {
            throw new KeyVaultException(Reason.WRONG_KEY_USAGE, "the certificate " + describe(certificate)
                    + " for " + key.purpose() + " key " + key + " has extended key usage " + eku + "; it needs one of "
                    + extendedUsages);
        }
    }

    private static List<String> usageNames(boolean[] usage) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < Math.min(usage.length, KEY_USAGE_NAMES.length); bit++) {
            if (usage[bit]) {
                names.add(KEY_USAGE_NAMES[bit]);
            }
        }
        return names;
    }

    /** Each certificate must name the next as its issuer and verify with its key; no trust decision is made here. */
    private static void checkChain(KeyRef key, List<X509Certificate> chain) throws KeyVaultException {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            boolean valid;
            try {
                valid = c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                        && new X509CertificateHolder(c.getEncoded()).isSignatureValid(new JcaContentVerifierProviderBuilder()
                        .setProvider(Providers.bouncyCastle()).build(issuer.getPublicKey()));
            } catch (CertificateException | IOException | OperatorCreationException | CertException e) {
                valid = false;
            }
            if (!valid) {
                throw new KeyVaultException(Reason.BROKEN_CHAIN, "in the chain imported for key " + key + ", "
                        + describe(c) + " is not issued by the next certificate " + describe(issuer));
            }
        }
    }

    private static boolean sameKey(PublicKey a, PublicKey b) {
        if (a instanceof RSAPublicKey ra && b instanceof RSAPublicKey rb) {
            return ra.getModulus().equals(rb.getModulus()) && ra.getPublicExponent().equals(rb.getPublicExponent());
        }
        if (a instanceof ECPublicKey ea && b instanceof ECPublicKey eb) {
            AlgorithmIdentifier ca = SubjectPublicKeyInfo.getInstance(a.getEncoded()).getAlgorithm();
            AlgorithmIdentifier cb = SubjectPublicKeyInfo.getInstance(b.getEncoded()).getAlgorithm();
            return ea.getW().equals(eb.getW()) && ca.equals(cb);
        }
        return Arrays.equals(a.getEncoded(), b.getEncoded());
    }

    static KeySpec keySpecOf(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return KeySpec.rsa(rsa.getModulus().bitLength());
        }
        try {
            return KeySpec.ec(AlgorithmPolicy.curveName(key));
        } catch (PolicyViolationException e) {
            return KeySpec.ec(e.subject());
        }
    }

    private static String describe(X509Certificate c) {
        return c.getSubjectX500Principal().getName() + " (serial " + c.getSerialNumber().toString(16) + ")";
    }

    /**
     * A public key that describes a key specification to the policy before anything is generated: for EC the curve's
     * generator point (a valid key on the named curve), for RSA only the modulus size, which is all the policy reads
     * of an RSA key.
     */
    static PublicKey describedKey(KeySpec spec) throws PolicyViolationException {
        if (spec.type().equals("RSA")) {
            return new SizeOnlyRsaKey(spec.bits());
        }
        String curve = spec.curve() == null ? "" : spec.curve();
        ASN1ObjectIdentifier oid = ECNamedCurveTable.getOID(KeySpec.bcCurveName(curve));
        X9ECParameters parameters = oid == null ? null : ECNamedCurveTable.getByOID(oid);
        if (parameters == null) {
            throw new PolicyViolationException(PolicyViolationException.Reason.CURVE_NOT_ALLOWED, curve,
                    "curve '" + curve + "' is not a named curve; only named curves are used");
        }
        try {
            SubjectPublicKeyInfo info = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, oid), parameters.getG().getEncoded(false));
            return KeyFactory.getInstance("EC", Providers.bouncyCastle())
                    .generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot describe curve " + curve + " to the policy", e);
        }
    }

    /** See {@link #describedKey}: an RSA public key of a given size, standing for a key not yet generated. */
    private static final class SizeOnlyRsaKey implements RSAPublicKey {
        private static final long serialVersionUID = 1L;
        private final BigInteger modulus;

        SizeOnlyRsaKey(int bits) {
            if (bits < 2) {
                throw new IllegalArgumentException("an RSA key needs a modulus size: " + bits);
            }
            this.modulus = BigInteger.ONE.shiftLeft(bits - 1).setBit(0);
        }

        @Override
        public BigInteger getModulus() {
            return modulus;
        }

        @Override
        public BigInteger getPublicExponent() {
            return RSAKeyGenParameterSpec.F4;
        }

        @Override
        public String getAlgorithm() {
            return "RSA";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }
}
