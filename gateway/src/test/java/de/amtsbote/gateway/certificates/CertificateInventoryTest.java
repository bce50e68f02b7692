package de.amtsbote.gateway.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyState;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.console.certificates.CertificatesGateway;
import de.amtsbote.spi.ChannelAddress;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The inventory behind the console and the API: statuses, key life cycle, partner imports, revocation checks. */
class CertificateInventoryTest extends CertificatesGateway {

    private static final String OWNER = "amt-drei";
    private static final CsrSubject SUBJECT = new CsrSubject("Test-Amt Drei", "Poststelle",
            List.of("poststelle@amt-drei.example"));

    @Autowired
    CertificateInventory inventory;
    @Autowired
    GatewayPartyDirectory parties;

    private final List<Object> audited = new ArrayList<>();

    @Test
    void aGeneratedKeyIsPendingUntilItsCertificateIsImportedAndTheRequestIsKept() throws Exception {
        OwnKey key = inventory.generate(OWNER, KeyPurpose.TLS, "ec:P-256", SUBJECT, audited::add);

        assertThat(key.state()).isEqualTo(KeyState.PENDING);
        assertThat(key.status()).isEqualTo(CertificateStatus.PENDING);
        assertThat(key.daysLeft()).isNull();
        assertThat(audited).containsExactly(key);
        assertThat(inventory.requestSubject(key.id())).contains(SUBJECT);
        String csr = inventory.csr(key.id(), null);
        assertThat(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----").doesNotContain("PRIVATE");

        OwnKey active = inventory.importCertificate(key.id(), pem(issueFor(csr, CertificateProfile.TLS_CLIENT,
                Duration.ofDays(365))), audited::add);

        assertThat(active.state()).isEqualTo(KeyState.ACTIVE);
        assertThat(active.status()).isEqualTo(CertificateStatus.VALID);
        assertThat(active.daysLeft()).isBetween(363L, 365L);
        assertThat(active.issuer()).contains("Amtsbote Console Test CA");
        assertThat(inventory.keyChain(key.id())).hasSize(3);
    }

    @Test
    void aRotationPutsThePredecessorIntoOverlapWhenTheSuccessorsCertificateArrives() throws Exception {
        OwnKey first = activeKey(KeyPurpose.ENCRYPTION, CertificateProfile.ENCRYPTION, Duration.ofDays(365));

        OwnKey successor = inventory.rotate(first.id(), "ec:brainpoolP256r1", Duration.ofDays(30), null, k -> { });
        assertThat(inventory.predecessor(successor.id())).get().extracting(OwnKey::id).isEqualTo(first.id());
        Instant before = Instant.now();
        inventory.importCertificate(successor.id(), pem(issueFor(inventory.csr(successor.id(), SUBJECT),
                CertificateProfile.ENCRYPTION, Duration.ofDays(365))), k -> { });

        OwnKey old = inventory.key(first.id()).orElseThrow();
        assertThat(old.state()).isEqualTo(KeyState.OVERLAP);
        assertThat(old.overlapUntil()).isBetween(before.plus(Duration.ofDays(30)).minusSeconds(5),
                Instant.now().plus(Duration.ofDays(30)));
        assertThat(inventory.key(successor.id()).orElseThrow().state()).isEqualTo(KeyState.ACTIVE);
    }

    @Test
    void onlyTheActiveKeyIsRotatedAndARotationOfAPendingKeyChangesNothing() throws Exception {
        OwnKey pending = inventory.generate(OWNER, KeyPurpose.SIGNING, "ec:P-256", SUBJECT, k -> { });
        int keys = inventory.inventory().ownKeys().size();

        assertThatThrownBy(() -> inventory.rotate(pending.id(), "ec:P-256", Duration.ofDays(30), SUBJECT, k -> { }))
                .isInstanceOfSatisfying(CertificateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo("WRONG_STATE"));
        assertThat(inventory.inventory().ownKeys()).hasSize(keys);
    }

    @Test
    void refusesWeakKeysAndOwnersThatAreNotOurs() {
        assertRefused(() -> inventory.generate(OWNER, KeyPurpose.SIGNING, "rsa:2048", SUBJECT, k -> { }),
                "POLICY_REFUSED");
        assertRefused(() -> inventory.generate(OWNER, KeyPurpose.SIGNING, "dsa:1024", SUBJECT, k -> { }),
                "INVALID_REQUEST");
        assertRefused(() -> inventory.generate("kreis-bergstrasse", KeyPurpose.SIGNING, "ec:P-256", SUBJECT,
                k -> { }), "INVALID_REQUEST");
        assertRefused(() -> inventory.generate(OWNER, KeyPurpose.EVIDENCE, "ec:P-256", SUBJECT, k -> { }),
                "INVALID_REQUEST");
    }

    @Test
    void theKeySpecificationsOfferedAreThoseThePolicyAllowsForNewKeys() {
        assertThat(inventory.keySpecs()).extracting(CertificateInventory.KeySpecChoice::value)
                .contains("rsa:3072", "rsa:4096", "ec:P-256", "ec:brainpoolP256r1", "ec:brainpoolP384r1")
                .doesNotContain("ec:P-224", "rsa:2048", "ec:brainpoolP320r1");
    }

    @Test
    void aKeyOfTheVaultReasonIsRefusedWithThatReasonAndTheKeyStaysPending() throws Exception {
        OwnKey key = inventory.generate(OWNER, KeyPurpose.SIGNING, "ec:P-256", SUBJECT, k -> { });
        OwnKey other = inventory.generate(OWNER, KeyPurpose.SIGNING, "ec:P-256", SUBJECT, k -> { });
        String otherCertificate = pem(issueFor(inventory.csr(other.id(), null), CertificateProfile.SIGNING,
                Duration.ofDays(30)));

        assertRefused(() -> inventory.importCertificate(key.id(), otherCertificate, audited::add), "KEY_MISMATCH");
        assertRefused(() -> inventory.importCertificate(key.id(), pem(issueFor(inventory.csr(key.id(), null),
                CertificateProfile.ENCRYPTION, Duration.ofDays(30))), audited::add), "WRONG_KEY_USAGE");
        assertRefused(() -> inventory.importCertificate(key.id(), "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                + "-----END CERTIFICATE-----\n", audited::add), "MALFORMED_PEM");
        assertRefused(() -> inventory.importCertificate(key.id(), "hello", audited::add), "MALFORMED_PEM");
        // a key made here and now: pasting a private key, even with its certificate, is refused unread
        String privateKey = Pem.encode(KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate());
        assertRefused(() -> inventory.importCertificate(key.id(), privateKey, audited::add), "PRIVATE_KEY_IN_PEM");
        assertRefused(() -> inventory.importCertificate("no-such-key", otherCertificate, audited::add),
                "UNKNOWN_KEY");
        Instant now = Instant.now();
        assertRefused(() -> inventory.importCertificate(key.id(), pem(CA.certify(Pem.readCsr(new java.io.StringReader(
                inventory.csr(key.id(), null))), IssueRequest.named("x").profile(CertificateProfile.SIGNING)
                .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))).chain()), audited::add),
                "CERTIFICATE_EXPIRED");
        List<X509Certificate> issued = issueFor(inventory.csr(key.id(), null), CertificateProfile.SIGNING,
                Duration.ofDays(30));
        assertRefused(() -> inventory.importCertificate(key.id(), pem(List.of(issued.get(0),
                PARTNER_CA.certificate())), audited::add), "BROKEN_CHAIN");
        assertThat(inventory.key(key.id()).orElseThrow().state()).isEqualTo(KeyState.PENDING);
        assertThat(audited).isEmpty();
    }

    @Test
    void anImportedPartnerCertificateIsValidatedFirstAndThenWinsOverALearnedOne() throws Exception {
        ChannelAddress address = ChannelAddress.parse("smime:poststelle@gemeinde-inventar.example");
        List<X509Certificate> learned = partnerCertificate("Gemeinde", "poststelle@gemeinde-inventar.example",
                CertificateProfile.SIGNING_AND_ENCRYPTION, Duration.ofDays(200));
        parties.offer(address, learned);
        assertThat(parties.encryptionCertificates(address)).containsExactly(learned.get(0));
        List<X509Certificate> imported = partnerCertificate("Gemeinde neu", "poststelle@gemeinde-inventar.example",
                CertificateProfile.ENCRYPTION, Duration.ofDays(400));

        PartnerCertificate p = inventory.importPartner(address.toString(), pem(imported), "s.officer", audited::add);

        assertThat(p.source()).isEqualTo(PartnerCertificate.Source.IMPORTED);
        assertThat(p.current()).isTrue();
        assertThat(p.importedBy()).isEqualTo("s.officer");
        assertThat(p.status()).isEqualTo(CertificateStatus.VALID);
        assertThat(audited).containsExactly(p);
        assertThat(parties.encryptionCertificates(address)).containsExactly(imported.get(0));
        parties.offer(address, learned);
        assertThat(parties.encryptionCertificates(address)).as("learning again does not displace the import")
                .containsExactly(imported.get(0));
        assertThat(inventory.inventory().partners()).filteredOn(c -> c.address().equals(address.toString()))
                .extracting(PartnerCertificate::source, PartnerCertificate::current)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(PartnerCertificate.Source.IMPORTED, true),
                        org.assertj.core.groups.Tuple.tuple(PartnerCertificate.Source.LEARNED, false));
    }

    @Test
    void aPartnerCertificateTheValidatorRefusesIsRefusedWithItsReasonAndNothingIsStored() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.root("Stranger Root", KeySpec.ec("P-256"),
                Clock.systemUTC());
        String unknownCa = pem(stranger.issue(IssueRequest.named("x").email("x@stranger.example")
                .profile(CertificateProfile.ENCRYPTION).key(KeySpec.ec("P-256"))).chain());
        Instant now = Instant.now();
        String expired = pem(PARTNER_CA.issue(IssueRequest.named("old").profile(CertificateProfile.ENCRYPTION)
                .key(KeySpec.ec("P-256")).validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
                .ocsp(PARTNER_OCSP.ocspUrl())).chain());
        String signingOnly = pem(partnerCertificate("Signer", "s@partner.example", CertificateProfile.SIGNING,
                Duration.ofDays(30)));
        String valid = pem(partnerCertificate("Valid", "v@partner.example", CertificateProfile.ENCRYPTION,
                Duration.ofDays(30)));
        long rows = rows();

        assertRefused(() -> inventory.importPartner("smime:x@stranger.example", unknownCa, "t", audited::add),
                ValidationResult.Reason.UNKNOWN_CA.name());
        assertRefused(() -> inventory.importPartner("smime:old@partner.example", expired, "t", audited::add),
                ValidationResult.Reason.EXPIRED.name());
        assertRefused(() -> inventory.importPartner("smime:s@partner.example", signingOnly, "t", audited::add),
                ValidationResult.Reason.WRONG_KEY_USAGE.name());
        assertRefused(() -> inventory.importPartner("poststelle", valid, "t", audited::add), "MALFORMED_ADDRESS");
        assertRefused(() -> inventory.importPartner("loopback:stadt-bad-vilbel@gateway", valid, "t", audited::add),
                "OWN_ADDRESS");
        assertRefused(() -> inventory.importPartner("smime:poststelle@kreis-bergstrasse.example", valid, "t",
                audited::add), "CONFIGURED_ADDRESS");
        assertThat(rows()).isEqualTo(rows);
        assertThat(audited).isEmpty();
    }

    @Test
    void aRevokedCertificateIsFoundRevokedWithItsDateByTheCheckAndShownSo() throws Exception {
        String fingerprint = CertificateInventory.fingerprint(KREIS_REVOKED);
        assertThat(inventory.partner(fingerprint)).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(PartnerCertificate.Source.CONFIGURED);
            assertThat(p.participant()).isEqualTo("kreis-bergstrasse");
        });

        RevocationCheck check = inventory.checkPartner(fingerprint, "s.officer", audited::add);

        assertThat(check.outcome()).isEqualTo(RevocationCheck.Outcome.REVOKED);
        assertThat(check.revokedAt()).isBefore(Instant.now().minus(Duration.ofHours(23)));
        assertThat(check.source()).contains("OCSP");
        assertThat(audited).containsExactly(check);
        assertThat(inventory.partner(fingerprint).get(0).status()).isEqualTo(CertificateStatus.REVOKED);
        assertThat(inventory.partner(fingerprint).get(0).lastCheck()).isEqualTo(check);
    }

    @Test
    void aCertificateWithAWorkingResponderChainIsFoundGood() throws Exception {
        List<X509Certificate> chain = partnerCertificate("Gut", "gut@partner.example", CertificateProfile.ENCRYPTION,
                Duration.ofDays(90));
        PartnerCertificate p = inventory.importPartner("smime:gut@partner.example", pem(chain), "t", c -> { });

        RevocationCheck check = inventory.checkPartner(p.fingerprint(), "t", c -> { });

        assertThat(check.outcome()).as(check.detail()).isEqualTo(RevocationCheck.Outcome.GOOD);
        assertThat(inventory.partner(p.fingerprint()).get(0).status()).isEqualTo(CertificateStatus.VALID);
    }

    @Test
    void aCertificateEndingWithinTheWarningIsExpiringAndCounted() throws Exception {
        List<X509Certificate> chain = partnerCertificate("Bald", "bald@partner.example", CertificateProfile.ENCRYPTION,
                Duration.ofDays(10));
        long before = inventory.inventory().partnerCount(CertificateStatus.EXPIRING);

        PartnerCertificate p = inventory.importPartner("smime:bald@partner.example", pem(chain), "t", c -> { });

        assertThat(p.status()).isEqualTo(CertificateStatus.EXPIRING);
        assertThat(p.daysLeft()).isBetween(9L, 10L);
        assertThat(inventory.inventory().partnerCount(CertificateStatus.EXPIRING)).isEqualTo(before + 1);
        assertThat(inventory.inventory().expiringOnly().partners()).extracting(PartnerCertificate::fingerprint)
                .contains(p.fingerprint());
    }

    @Test
    void aSoftFailedRevocationAnswerIsUnknownNeverGood() {
        Instant now = Instant.now();
        ValidationResult softFailed = new ValidationResult(null, "valid", List.of(), null,
                "unavailable (soft-fail)", List.of("The revocation status of the certificate CN=x is unavailable:"
                + " connection refused (accepted: soft-fail is configured)"), now);
        ValidationResult notChecked = new ValidationResult(null, "valid", List.of(), null, "none",
                List.of("revocation not checked: switched off by configuration"), now);
        ValidationResult revoked = new ValidationResult(ValidationResult.Reason.REVOKED, "The certificate CN=x was"
                + " revoked on 2026-03-01T10:00:00Z (keyCompromise) according to OCSP http://ocsp", List.of(), null,
                "OCSP http://ocsp", List.of(), now);

        assertThat(CertificateInventory.interpret("f", softFailed, now, "t").outcome())
                .isEqualTo(RevocationCheck.Outcome.UNKNOWN);
        assertThat(CertificateInventory.interpret("f", softFailed, now, "t").detail()).contains("connection refused");
        assertThat(CertificateInventory.interpret("f", notChecked, now, "t").outcome())
                .isEqualTo(RevocationCheck.Outcome.UNKNOWN);
        RevocationCheck r = CertificateInventory.interpret("f", revoked, now, "t");
        assertThat(r.outcome()).isEqualTo(RevocationCheck.Outcome.REVOKED);
        assertThat(r.revokedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void daysLeftAreWholeDaysRoundedDown() {
        Instant now = Instant.parse("2026-05-01T12:00:00Z");
        assertThat(CertificateInventory.daysLeft(now, now.plus(Duration.ofHours(47)))).isEqualTo(1);
        assertThat(CertificateInventory.daysLeft(now, now.minus(Duration.ofHours(1)))).isEqualTo(-1);
        assertThat(CertificateInventory.daysLeft(now, now.atZone(ZoneOffset.UTC).plusDays(30).toInstant()))
                .isEqualTo(30);
    }

    private OwnKey activeKey(KeyPurpose purpose, CertificateProfile profile, Duration validity) throws Exception {
        OwnKey existing = inventory.inventory().ownKeys().stream().filter(k -> k.owner().equals(OWNER)
                && k.purpose() == purpose && k.state() == KeyState.ACTIVE).findFirst().orElse(null);
        if (existing != null) {
            return existing;
        }
        OwnKey key = inventory.generate(OWNER, purpose, "ec:P-256", SUBJECT, k -> { });
        return inventory.importCertificate(key.id(), pem(issueFor(inventory.csr(key.id(), null), profile, validity)),
                k -> { });
    }

    private long rows() {
        return jdbc.sql("select count(*) from partner_certificate").query(Long.class).single();
    }

    private interface Refusable {
        void run() throws Exception;
    }

    private static void assertRefused(Refusable action, String reason) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(CertificateRefusedException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
