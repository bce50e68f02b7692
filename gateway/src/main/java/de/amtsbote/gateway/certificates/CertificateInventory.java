package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyInfo;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyState;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PolicyEntry;
import de.amtsbote.crypto.policy.PolicyViolationException;
import de.amtsbote.crypto.policy.Status;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import de.amtsbote.spi.ChannelAddress;
import java.io.IOException;
import java.io.StringReader;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one door to the gateway's keys and certificates for the console, the API and the expiry alerts: the inventory
 * (own keys from the vault, partners' certificates configured, imported and learned, each with a status), and the
 * changes a security officer makes — generate, rotate, certificate request, import, retire, partner certificate
 * import, revocation check.
 *
 * <p>Every change takes an {@code audit} callback that runs in the change's transaction, so the record of who did it
 * is written exactly when the change is (the caller knows whether a person or a client system acted). A refused
 * change throws {@link CertificateRefusedException} with a stable reason and changes nothing. Nothing here returns
 * or logs private key material: the vault does not hand it out.
 */
@Service
public class CertificateInventory {

    /** The most text a pasted PEM chain may have: a dozen certificates are far less. */
    static final int MAX_PEM_CHARS = 100_000;
    private static final Pattern REVOKED_ON = Pattern.compile("revoked on (\\S+) \\(");
    private static final Pattern CURVE_NAME = Pattern.compile("(brainpoolP\\d+r1|P-\\d+)");
    private static final int[] RSA_SIZES = {AlgorithmPolicy.RSA_MIN_BITS, 4096};

    private final CryptoConfiguration.KeyVaults vaults;
    private final ParticipantDirectory participants;
    private final GatewayPartyDirectory parties;
    private final CertificateValidator validator;
    private final AlgorithmPolicy policy;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final CertificateProperties properties;

    CertificateInventory(CryptoConfiguration.KeyVaults vaults, ParticipantDirectory participants,
                         GatewayPartyDirectory parties, CertificateValidator validator, AlgorithmPolicy policy,
                         JdbcClient jdbc, TransactionTemplate tx, Clock clock, CertificateProperties properties) {
        this.vaults = vaults;
        this.participants = participants;
        this.parties = parties;
        this.validator = validator;
        this.policy = policy;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    /** A key specification offered for new keys: the form value ({@code rsa:3072}, {@code ec:brainpoolP256r1}). */
    public record KeySpecChoice(String value, String label) {
    }

    /** One certificate of a chain, for showing: leaf first, then its issuers. */
    public record ChainEntry(String subject, String issuer, String serial, Instant notBefore, Instant notAfter) {
    }

    // ------------------------------------------------------------------ reading

    /** Whether the gateway has a key store (without one, there are no own keys and nothing to generate them in). */
    public boolean hasKeyStore() {
        return vaults.vault().isPresent();
    }

    public Duration expiryWarning() {
        return properties.expiryWarning();
    }

    /** The whole inventory now. */
    public Inventory inventory() {
        Instant now = clock.instant();
        Map<String, RevocationCheck> checks = checks();
        return new Inventory(now, properties.expiryWarning(), ownKeys(now, checks), partners(now, checks));
    }

    /** One own key, by its reference. */
    public Optional<OwnKey> key(String id) {
        Instant now = clock.instant();
        return ownKeys(now, checks()).stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** The certificate chain a key holds, leaf first (the placeholder while pending). */
    public List<ChainEntry> keyChain(String id) throws CertificateRefusedException {
        return describe(chainOf(refOf(id)));
    }

    /** Every use of a partner certificate (one per address), by its fingerprint; empty if unknown. */
    public List<PartnerCertificate> partner(String fingerprint) {
        Instant now = clock.instant();
        return partners(now, checks()).stream().filter(p -> p.fingerprint().equals(fingerprint)).toList();
    }

    /** A partner certificate's chain as configured, imported or learned, leaf first. */
    public List<ChainEntry> partnerChain(String fingerprint) throws CertificateRefusedException {
        return describe(partnerChainOf(fingerprint));
    }

    /** Who may own a key: {@code gateway} and the gateway's own participants. */
    public List<Participant> owners() {
        List<Participant> owners = new ArrayList<>();
        owners.add(new Participant(Crypto.GATEWAY, Crypto.GATEWAY, true, false, List.of()));
        participants.all().stream().filter(Participant::own).forEach(owners::add);
        return owners;
    }

    /** The key specifications the algorithm policy allows for new keys: RSA ≥ 3072 and the allowed named curves. */
    public List<KeySpecChoice> keySpecs() {
        List<KeySpecChoice> choices = new ArrayList<>();
        for (int bits : RSA_SIZES) {
            choices.add(new KeySpecChoice("rsa:" + bits, KeySpec.rsa(bits).toString()));
        }
        for (PolicyEntry entry : policy.table()) {
            if (entry.status() == Status.ALLOWED && CURVE_NAME.matcher(entry.subject()).matches()) {
                choices.add(new KeySpecChoice("ec:" + entry.subject(), KeySpec.ec(entry.subject()).toString()));
            }
        }
        return choices;
    }

    /** The default key specification for a purpose: brainpoolP256r1 for evidence, RSA-3072 (works everywhere) else. */
    public static String defaultKeySpec(KeyPurpose purpose) {
        return purpose == KeyPurpose.EVIDENCE ? "ec:brainpoolP256r1" : "rsa:3072";
    }

    /** The request subject stored for a key when it was generated here, if any. */
    public Optional<CsrSubject> requestSubject(String id) {
        return jdbc.sql("select organisation, common_name, emails from key_request where key_id = :id")
                .param("id", id)
                .query((rs, i) -> new CsrSubject(rs.getString("organisation"), rs.getString("common_name"),
                        splitEmails(rs.getString("emails"))))
                .optional();
    }

    /**
     * A PKCS#10 request (PEM) for a pending key, made by the vault now and signed with the key; for the given subject,
     * or the one stored when the key was generated.
     */
    public String csr(String id, CsrSubject subject) throws CertificateRefusedException {
        KeyRef ref = refOf(id);
        CsrSubject s = subject != null ? subject : requestSubject(id).orElseThrow(() -> new CertificateRefusedException(
                "INVALID_REQUEST", "no request data is stored for key " + id + ": give the organisation"));
        try {
            return vault().csr(ref, s);
        } catch (CryptoException e) {
            throw refusal(e);
        }
    }

    // ------------------------------------------------------------------ own keys

    /**
     * Generates the first key of an owner for a purpose, pending its certificate, and keeps the request subject.
     *
     * @param keySpec {@code rsa:BITS} or {@code ec:CURVE}; the algorithm policy decides what is strong enough
     */
    public OwnKey generate(String owner, KeyPurpose purpose, String keySpec, CsrSubject subject,
                           Consumer<OwnKey> audit) throws CertificateRefusedException {
        requireOwner(owner, purpose);
        KeySpec spec = parseKeySpec(keySpec);
        Objects.requireNonNull(subject, "subject");
        KeyVault vault = vault();
        return inTransaction(() -> {
            KeyRef ref = vault.generate(owner, purpose, spec);
            keepSubject(ref, subject);
            OwnKey key = key(ref.id()).orElseThrow();
            audit.accept(key);
            return key;
        });
    }

    /**
     * Generates the successor of an active key, pending its certificate; when that is imported, the active key goes to
     * overlap for {@code overlap} (zero: retired at once).
     */
    public OwnKey rotate(String activeId, String keySpec, Duration overlap, CsrSubject subject, Consumer<OwnKey> audit)
            throws CertificateRefusedException {
        KeyRef active = refOf(activeId);
        OwnKey current = key(activeId).orElseThrow();
        if (current.state() != KeyState.ACTIVE) {
            throw new CertificateRefusedException("WRONG_STATE", "key " + activeId + " is " + current.state()
                    + "; only the active key of an owner and purpose is rotated");
        }
        if (overlap == null || overlap.isNegative() || overlap.compareTo(Duration.ofDays(366)) > 0) {
            throw new CertificateRefusedException("INVALID_REQUEST", "the overlap must be between 0 and 366 days");
        }
        KeySpec spec = parseKeySpec(keySpec);
        KeyVault vault = vault();
        return inTransaction(() -> {
            KeyRef ref = vault.rotate(active.owner(), active.purpose(), spec, overlap);
            keepSubject(ref, subject);
            OwnKey key = key(ref.id()).orElseThrow();
            audit.accept(key);
            return key;
        });
    }

    /**
     * Imports the issued certificate (first) and its issuers, as PEM, for a pending key and activates it. A rotation's
     * predecessor goes to overlap; the callback gets the activated key.
     */
    public OwnKey importCertificate(String id, String pem, Consumer<OwnKey> audit) throws CertificateRefusedException {
        KeyRef ref = refOf(id);
        List<X509Certificate> chain = readChain(pem);
        KeyVault vault = vault();
        return inTransaction(() -> {
            vault.importCertificate(ref, chain);
            OwnKey key = key(id).orElseThrow();
            audit.accept(key);
            return key;
        });
    }

    /** The key that an import for {@code id} would replace: the active key of the same owner and purpose, if any. */
    public Optional<OwnKey> predecessor(String id) {
        Optional<OwnKey> key = key(id);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        OwnKey k = key.get();
        return ownKeys(clock.instant(), checks()).stream().filter(o -> !o.id().equals(id) && o.owner().equals(k.owner())
                && o.purpose() == k.purpose() && o.state() == KeyState.ACTIVE).findFirst();
    }

    /** Retires a key now; retiring a retired key is refused, so that nobody records a change that did not happen. */
    public OwnKey retire(String id, Consumer<OwnKey> audit) throws CertificateRefusedException {
        KeyRef ref = refOf(id);
        OwnKey before = key(id).orElseThrow();
        if (before.state() == KeyState.RETIRED) {
            throw new CertificateRefusedException("WRONG_STATE", "key " + id + " is already retired");
        }
        KeyVault vault = vault();
        return inTransaction(() -> {
            vault.retire(ref);
            OwnKey key = key(id).orElseThrow();
            audit.accept(key);
            return key;
        });
    }

    // ------------------------------------------------------------------ partners

    /**
     * Imports a partner's encryption certificate (first) with its issuers for a channel address. It must validate now
     * for message encryption, and the policy must allow encrypting to its key; then the channels use it for the address
     * (before any learned one). The same certificate again for the same address refreshes the entry.
     */
    public PartnerCertificate importPartner(String addressText, String pem, String importedBy,
                                            Consumer<PartnerCertificate> audit) throws CertificateRefusedException {
        ChannelAddress address = parseAddress(addressText);
        if (parties.participantAt(address).isPresent()) {
            throw new CertificateRefusedException("OWN_ADDRESS", address + " is an address of our own participant "
                    + parties.participantAt(address).get() + "; its certificates come from the key store");
        }
        if (parties.configured().containsKey(address)) {
            throw new CertificateRefusedException("CONFIGURED_ADDRESS", "a certificate for " + address
                    + " is configured in amtsbote.participants[].certificates and always wins; change it there");
        }
        List<X509Certificate> chain = readChain(pem);
        X509Certificate leaf = chain.get(0);
        Instant now = clock.instant();
        ValidationResult v = validator.validate(leaf, chain.subList(1, chain.size()),
                CertificateUsage.MESSAGE_ENCRYPTION, now);
        if (!v.valid()) {
            throw new CertificateRefusedException(v.reason().name(), "the certificate " + describe(leaf)
                    + " is not valid for encryption: " + v.detail());
        }
        try {
            policy.requireRecipientKey(leaf.getPublicKey(), address.toString());
        } catch (PolicyViolationException e) {
            throw new CertificateRefusedException("POLICY_REFUSED", e.getMessage(), e);
        }
        String key = GatewayPartyDirectory.key(address);
        String fingerprint = fingerprint(leaf);
        return tx.execute(s -> {
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            int updated = jdbc.sql("update partner_certificate set source = 'IMPORTED', imported_by = :by,"
                            + " last_seen = :now, chain_pem = :pem where address = :a and fingerprint = :f")
                    .param("by", importedBy).param("now", at).param("pem", Pem.encode(chain.toArray()))
                    .param("a", key).param("f", fingerprint).update();
            if (updated == 0) {
                jdbc.sql("insert into partner_certificate (address, fingerprint, chain_pem, not_after, first_seen,"
                                + " last_seen, source, imported_by) values (:a, :f, :pem, :na, :now, :now, 'IMPORTED',"
                                + " :by)")
                        .param("a", key).param("f", fingerprint).param("pem", Pem.encode(chain.toArray()))
                        .param("na", leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)).param("now", at)
                        .param("by", importedBy).update();
            }
            PartnerCertificate imported = partners(clock.instant(), checks()).stream()
                    .filter(p -> p.fingerprint().equals(fingerprint) && p.address().equals(key)).findFirst()
                    .orElseThrow();
            audit.accept(imported);
            return imported;
        });
    }

    // ------------------------------------------------------------------ revocation

    /** Checks an own key's certificate now, revocation included, and keeps the result. */
    public RevocationCheck checkKey(String id, String checkedBy, Consumer<RevocationCheck> audit)
            throws CertificateRefusedException {
        KeyRef ref = refOf(id);
        OwnKey key = key(id).orElseThrow();
        if (key.state() == KeyState.PENDING) {
            throw new CertificateRefusedException("WRONG_STATE", "key " + id + " is pending: its placeholder"
                    + " certificate has no revocation status; import the issued certificate first");
        }
        List<X509Certificate> chain = chainOf(ref);
        if (chain.isEmpty()) {
            throw new CertificateRefusedException("UNKNOWN_CERTIFICATE", "the key store no longer holds the"
                    + " certificate of key " + id);
        }
        return check(chain, usageOf(ref.purpose()), checkedBy, audit);
    }

    /** Checks a partner certificate now, revocation included, and keeps the result. */
    public RevocationCheck checkPartner(String fingerprint, String checkedBy, Consumer<RevocationCheck> audit)
            throws CertificateRefusedException {
        return check(partnerChainOf(fingerprint), CertificateUsage.MESSAGE_ENCRYPTION, checkedBy, audit);
    }

    private RevocationCheck check(List<X509Certificate> chain, CertificateUsage usage, String checkedBy,
                                  Consumer<RevocationCheck> audit) {
        X509Certificate leaf = chain.get(0);
        Instant now = clock.instant();
        ValidationResult v = validator.validate(leaf, chain.subList(1, chain.size()), usage, now);
        RevocationCheck check = interpret(fingerprint(leaf), v, now, checkedBy);
        return tx.execute(s -> {
            jdbc.sql("delete from certificate_check where fingerprint = :f").param("f", check.fingerprint()).update();
            jdbc.sql("insert into certificate_check (fingerprint, outcome, reason, detail, revoked_at, source,"
                            + " checked_at, checked_by) values (:f, :o, :r, :d, :ra, :src, :at, :by)")
                    .param("f", check.fingerprint()).param("o", check.outcome().name()).param("r", check.reason())
                    .param("d", shorten(check.detail(), 2000))
                    .param("ra", check.revokedAt() == null ? null : check.revokedAt().atOffset(ZoneOffset.UTC))
                    .param("src", check.source() == null ? null : shorten(check.source(), 1000))
                    .param("at", check.checkedAt().atOffset(ZoneOffset.UTC)).param("by", check.checkedBy()).update();
            audit.accept(check);
            return check;
        });
    }

    /**
     * Turns the validator's answer into a revocation check result without soft-fail: where the gateway's validator
     * is configured to accept an unavailable revocation status (soft-fail, or no checking), the result is flagged,
     * and a flagged result is reported as {@link RevocationCheck.Outcome#UNKNOWN}, never as good.
     */
    static RevocationCheck interpret(String fingerprint, ValidationResult v, Instant now, String checkedBy) {
        if (!v.valid()) {
            RevocationCheck.Outcome outcome = switch (v.reason()) {
                case REVOKED -> RevocationCheck.Outcome.REVOKED;
                case REVOCATION_UNAVAILABLE, STALE_CRL -> RevocationCheck.Outcome.UNKNOWN;
                default -> RevocationCheck.Outcome.INVALID;
            };
            Instant revokedAt = null;
            if (outcome == RevocationCheck.Outcome.REVOKED) {
                Matcher m = REVOKED_ON.matcher(v.detail());
                if (m.find()) {
                    try {
                        revokedAt = Instant.parse(m.group(1));
                    } catch (java.time.format.DateTimeParseException e) {
                        revokedAt = null; // the detail still says when, in words
                    }
                }
            }
            return new RevocationCheck(fingerprint, outcome, v.reason().name(), v.detail(), revokedAt, v.revocation(),
                    now, checkedBy);
        }
        List<String> unconfirmed = v.flags().stream().filter(f -> f.contains("soft-fail")
                || f.startsWith("revocation not checked")).toList();
        boolean softFailed = !unconfirmed.isEmpty() || (v.revocation() != null && v.revocation().contains("soft-fail"));
        if (softFailed) {
            String detail = unconfirmed.isEmpty() ? "the revocation status could not be confirmed: " + v.revocation()
                    : String.join("; ", unconfirmed);
            return new RevocationCheck(fingerprint, RevocationCheck.Outcome.UNKNOWN,
                    ValidationResult.Reason.REVOCATION_UNAVAILABLE.name(), detail, null, v.revocation(), now,
                    checkedBy);
        }
        return new RevocationCheck(fingerprint, RevocationCheck.Outcome.GOOD, null, v.detail(), null, v.revocation(),
                now, checkedBy);
    }

    // ------------------------------------------------------------------ building the inventory

    private List<OwnKey> ownKeys(Instant now, Map<String, RevocationCheck> checks) {
        Optional<KeyVault> vault = vaults.vault();
        if (vault.isEmpty()) {
            return List.of();
        }
        try {
            List<OwnKey> keys = new ArrayList<>();
            for (KeyInfo info : vault.get().list()) {
                List<X509Certificate> chain = vault.get().certificates(info.ref());
                X509Certificate leaf = chain.isEmpty() ? null : chain.get(0);
                String fingerprint = leaf == null ? null : fingerprint(leaf);
                RevocationCheck check = fingerprint == null ? null : checks.get(fingerprint);
                CertificateStatus status = info.state() == KeyState.PENDING ? CertificateStatus.PENDING
                        : info.notAfter() == null ? CertificateStatus.UNKNOWN
                        : status(info.notBefore(), info.notAfter(), check, now);
                Long daysLeft = info.state() == KeyState.PENDING || info.notAfter() == null ? null
                        : daysLeft(now, info.notAfter());
                keys.add(new OwnKey(info.ref().id(), info.owner(), ownerName(info.owner()), info.purpose(),
                        info.state(), info.overlapUntil(), info.subject(),
                        leaf == null ? null : leaf.getIssuerX500Principal().getName(),
                        info.serial() == null ? null : info.serial().toString(16), fingerprint, info.notBefore(),
                        info.notAfter(), info.key() == null ? null : info.key().toString(), info.hardware(),
                        info.created(), status, daysLeft, check));
            }
            return keys;
        } catch (KeyVaultException e) {
            throw new IllegalStateException("the key store cannot be read: " + e.getMessage(), e);
        }
    }

    private List<PartnerCertificate> partners(Instant now, Map<String, RevocationCheck> checks) {
        List<PartnerCertificate> all = new ArrayList<>();
        for (Map.Entry<ChannelAddress, List<X509Certificate>> c : parties.configured().entrySet()) {
            X509Certificate leaf = c.getValue().get(0);
            all.add(partner(GatewayPartyDirectory.key(c.getKey()), c.getKey(), PartnerCertificate.Source.CONFIGURED,
                    leaf, null, null, null, true, now, checks));
        }
        Map<String, List<StoredPartner>> stored = new LinkedHashMap<>();
        for (StoredPartner row : storedPartners()) {
            stored.computeIfAbsent(row.address(), a -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<StoredPartner>> byAddress : stored.entrySet()) {
            ChannelAddress address = ChannelAddress.parse(byAddress.getKey());
            boolean configured = parties.configured().keySet().stream()
                    .anyMatch(a -> GatewayPartyDirectory.key(a).equals(byAddress.getKey()));
            StoredPartner current = configured ? null : currentOf(byAddress.getValue(), now);
            for (StoredPartner row : byAddress.getValue()) {
                all.add(partner(row.address(), address, row.source(), row.leaf(), row.firstSeen(), row.lastSeen(),
                        row.importedBy(), row == current, now, checks));
            }
        }
        all.sort(Comparator.comparing(PartnerCertificate::address)
                .thenComparing(p -> !p.current())
                .thenComparing(PartnerCertificate::notAfter, Comparator.reverseOrder()));
        return all;
    }

    /** The row the party directory would use (imported first, then the most recently seen, unexpired), else the last to expire. */
    private static StoredPartner currentOf(List<StoredPartner> rows, Instant now) {
        return rows.stream().filter(r -> r.leaf().getNotAfter().toInstant().isAfter(now))
                .min(Comparator.comparing((StoredPartner r) -> r.source() == PartnerCertificate.Source.IMPORTED ? 0 : 1)
                        .thenComparing(StoredPartner::lastSeen, Comparator.reverseOrder()))
                .orElseGet(() -> rows.stream().max(Comparator.comparing(r -> r.leaf().getNotAfter())).orElse(null));
    }

    private PartnerCertificate partner(String key, ChannelAddress address, PartnerCertificate.Source source,
                                       X509Certificate leaf, Instant firstSeen, Instant lastSeen, String importedBy,
                                       boolean current, Instant now, Map<String, RevocationCheck> checks) {
        String fingerprint = fingerprint(leaf);
        RevocationCheck check = checks.get(fingerprint);
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        String participant = participants.byAddress(address)
                .or(() -> participants.byAddress(new ChannelAddress(address.channel(),
                        address.address().toLowerCase(Locale.ROOT))))
                .map(Participant::id).orElse(null);
        return new PartnerCertificate(key, participant, source, leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().getName(), leaf.getSerialNumber().toString(16), fingerprint, notBefore,
                notAfter, firstSeen, lastSeen, importedBy, current, status(notBefore, notAfter, check, now),
                daysLeft(now, notAfter), check);
    }

    private record StoredPartner(String address, String fingerprint, List<X509Certificate> chain,
                                 PartnerCertificate.Source source, String importedBy, Instant firstSeen,
                                 Instant lastSeen) {
        X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private List<StoredPartner> storedPartners() {
        return jdbc.sql("select address, fingerprint, chain_pem, source, imported_by, first_seen, last_seen"
                        + " from partner_certificate order by address, last_seen desc")
                .query((rs, i) -> new StoredPartner(rs.getString("address"), rs.getString("fingerprint"),
                        parse(rs.getString("chain_pem")), PartnerCertificate.Source.valueOf(rs.getString("source")),
                        rs.getString("imported_by"), rs.getObject("first_seen", OffsetDateTime.class).toInstant(),
                        rs.getObject("last_seen", OffsetDateTime.class).toInstant()))
                .list();
    }

    private List<X509Certificate> partnerChainOf(String fingerprint) throws CertificateRefusedException {
        for (List<X509Certificate> chain : parties.configured().values()) {
            if (fingerprint(chain.get(0)).equals(fingerprint)) {
                return chain;
            }
        }
        return jdbc.sql("select chain_pem from partner_certificate where fingerprint = :f order by last_seen desc")
                .param("f", fingerprint).query(String.class).list().stream().findFirst()
                .map(CertificateInventory::parse)
                .orElseThrow(() -> new CertificateRefusedException("UNKNOWN_CERTIFICATE", "no partner certificate "
                        + fingerprint));
    }

    private Map<String, RevocationCheck> checks() {
        Map<String, RevocationCheck> checks = new HashMap<>();
        jdbc.sql("select fingerprint, outcome, reason, detail, revoked_at, source, checked_at, checked_by"
                        + " from certificate_check")
                .query((rs, i) -> new RevocationCheck(rs.getString("fingerprint"),
                        RevocationCheck.Outcome.valueOf(rs.getString("outcome")), rs.getString("reason"),
                        rs.getString("detail"), instant(rs.getObject("revoked_at", OffsetDateTime.class)),
                        rs.getString("source"), rs.getObject("checked_at", OffsetDateTime.class).toInstant(),
                        rs.getString("checked_by")))
                .list().forEach(c -> checks.put(c.fingerprint(), c));
        return checks;
    }

    private CertificateStatus status(Instant notBefore, Instant notAfter, RevocationCheck check, Instant now) {
        if (check != null && check.outcome() == RevocationCheck.Outcome.REVOKED) {
            return CertificateStatus.REVOKED;
        }
        if (!now.isBefore(notAfter)) {
            return CertificateStatus.EXPIRED;
        }
        if (now.isBefore(notBefore)) {
            return CertificateStatus.NOT_YET_VALID;
        }
        if (notAfter.isBefore(now.plus(properties.expiryWarning()))) {
            return CertificateStatus.EXPIRING;
        }
        if (check != null && check.outcome() != RevocationCheck.Outcome.GOOD) {
            return CertificateStatus.UNKNOWN;
        }
        return CertificateStatus.VALID;
    }

    /** Whole days left, rounded down; negative once expired. */
    static long daysLeft(Instant now, Instant notAfter) {
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86_400L);
    }

    // ------------------------------------------------------------------ helpers

    private String ownerName(String owner) {
        return participants.find(owner).map(Participant::name).orElse(owner);
    }

    private KeyVault vault() throws CertificateRefusedException {
        return vaults.vault().orElseThrow(() -> new CertificateRefusedException("NO_KEY_STORE",
                "this gateway has no key store (amtsbote.crypto.key-store)"));
    }

    private KeyRef refOf(String id) throws CertificateRefusedException {
        KeyVault vault = vault();
        try {
            for (KeyInfo info : vault.list()) {
                if (info.ref().id().equals(id)) {
                    return info.ref();
                }
            }
        } catch (KeyVaultException e) {
            throw refusal(e);
        }
        throw new CertificateRefusedException("UNKNOWN_KEY", "no key '" + id + "' in the key store");
    }

    private List<X509Certificate> chainOf(KeyRef ref) throws CertificateRefusedException {
        try {
            return vault().certificates(ref);
        } catch (KeyVaultException e) {
            throw refusal(e);
        }
    }

    private void requireOwner(String owner, KeyPurpose purpose) throws CertificateRefusedException {
        if (purpose == null) {
            throw new CertificateRefusedException("INVALID_REQUEST", "choose what the key is for");
        }
        boolean gateway = Crypto.GATEWAY.equals(owner);
        boolean participant = owner != null && participants.find(owner).map(Participant::own).orElse(false);
        if (!gateway && !participant) {
            throw new CertificateRefusedException("INVALID_REQUEST", "'" + owner + "' is neither 'gateway' nor one of"
                    + " the gateway's own participants");
        }
        if (gateway && (purpose == KeyPurpose.SIGNING || purpose == KeyPurpose.ENCRYPTION)) {
            throw new CertificateRefusedException("INVALID_REQUEST", "the gateway itself has no " + purpose
                    + " key: messages are signed and decrypted with the keys of its participants");
        }
        if (!gateway && purpose == KeyPurpose.EVIDENCE) {
            throw new CertificateRefusedException("INVALID_REQUEST", "the evidence key belongs to the gateway"
                    + " (owner 'gateway'), not to a participant");
        }
    }

    /** {@code rsa:BITS} or {@code ec:CURVE}; the policy, not this parser, decides what is strong enough. */
    static KeySpec parseKeySpec(String text) throws CertificateRefusedException {
        if (text != null) {
            int colon = text.indexOf(':');
            String type = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
            String param = colon < 0 ? "" : text.substring(colon + 1).strip();
            if (type.equals("ec") && CURVE_NAME.matcher(param).matches()) {
                return KeySpec.ec(param);
            }
            if (type.equals("rsa") && param.matches("\\d{3,5}")) {
                return KeySpec.rsa(Integer.parseInt(param));
            }
        }
        throw new CertificateRefusedException("INVALID_REQUEST", "'" + text + "' is not a key specification; use"
                + " rsa:BITS (rsa:3072) or ec:CURVE (ec:brainpoolP256r1)");
    }

    private static ChannelAddress parseAddress(String text) throws CertificateRefusedException {
        try {
            return ChannelAddress.parse(text == null ? "" : text.strip());
        } catch (IllegalArgumentException e) {
            throw new CertificateRefusedException("MALFORMED_ADDRESS", e.getMessage());
        }
    }

    /** Reads a pasted PEM chain, leaf first. Refuses text with a private key in it: that must never be pasted here. */
    static List<X509Certificate> readChain(String pem) throws CertificateRefusedException {
        if (pem == null || pem.isBlank()) {
            throw new CertificateRefusedException("MALFORMED_PEM", "no certificate given: paste the certificate"
                    + " (-----BEGIN CERTIFICATE-----) and then its issuers");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new CertificateRefusedException("MALFORMED_PEM", "the text is longer than " + MAX_PEM_CHARS
                    + " characters; a certificate chain is far shorter");
        }
        if (pem.contains("PRIVATE KEY-----")) {
            throw new CertificateRefusedException("PRIVATE_KEY_IN_PEM", "the text contains a private key; it was not"
                    + " read or kept. Paste certificates only — and consider that key disclosed");
        }
        List<X509Certificate> chain;
        try {
            chain = Pem.readCertificates(new StringReader(pem));
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new CertificateRefusedException("MALFORMED_PEM", "the text is not a readable PEM certificate chain: "
                    + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new CertificateRefusedException("MALFORMED_PEM", "the text holds no PEM certificate"
                    + " (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)");
        }
        return chain;
    }

    private static List<X509Certificate> parse(String pem) {
        try {
            return Pem.readCertificates(new StringReader(pem));
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("a stored partner certificate cannot be read: " + e.getMessage(), e);
        }
    }

    private void keepSubject(KeyRef ref, CsrSubject subject) {
        if (subject == null) {
            return;
        }
        jdbc.sql("delete from key_request where key_id = :id").param("id", ref.id()).update();
        jdbc.sql("insert into key_request (key_id, organisation, common_name, emails, created_at)"
                        + " values (:id, :o, :cn, :e, :at)")
                .param("id", ref.id()).param("o", subject.organisation()).param("cn", subject.commonName())
                .param("e", String.join("\n", subject.emailAddresses()))
                .param("at", clock.instant().atOffset(ZoneOffset.UTC)).update();
    }

    private static List<String> splitEmails(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.stream(text.split("\n")).filter(s -> !s.isBlank())
                .toList();
    }

    private static CertificateUsage usageOf(KeyPurpose purpose) {
        return switch (purpose) {
            case SIGNING -> CertificateUsage.MESSAGE_SIGNATURE;
            case ENCRYPTION -> CertificateUsage.MESSAGE_ENCRYPTION;
            case EVIDENCE -> CertificateUsage.EVIDENCE_SIGNATURE;
            case TLS -> CertificateUsage.TLS_CLIENT;
        };
    }

    /** A vault operation inside a transaction, so that the caller's audit record commits with it. */
    private interface VaultWork<T> {
        T run() throws CryptoException;
    }

    private <T> T inTransaction(VaultWork<T> work) throws CertificateRefusedException {
        try {
            return tx.execute(s -> {
                try {
                    return work.run();
                } catch (CryptoException e) {
                    throw new Refused(e);
                }
            });
        } catch (Refused r) {
            throw refusal(r.cause);
        }
    }

    /** Carries a vault refusal out of the transaction callback, rolling the transaction back. */
    private static final class Refused extends RuntimeException {
        private final CryptoException cause;

        Refused(CryptoException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    private static CertificateRefusedException refusal(CryptoException e) {
        if (e instanceof KeyVaultException k) {
            return new CertificateRefusedException(k.reason().name(), k.getMessage(), k);
        }
        if (e instanceof PolicyViolationException p) {
            return new CertificateRefusedException("POLICY_REFUSED", p.getMessage(), p);
        }
        return new CertificateRefusedException("KEY_OPERATION_FAILED", e.getMessage(), e);
    }

    private static List<ChainEntry> describe(List<X509Certificate> chain) {
        return chain.stream().map(c -> new ChainEntry(c.getSubjectX500Principal().getName(),
                c.getIssuerX500Principal().getName(), c.getSerialNumber().toString(16),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant())).toList();
    }

    private static String describe(X509Certificate c) {
        return c.getSubjectX500Principal().getName() + " (serial " + c.getSerialNumber().toString(16) + ")";
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return ContentDigester.hexOf(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
