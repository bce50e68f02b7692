package de.amtsbote.crypto.validation;

import de.amtsbote.crypto.testing.MutableClock;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.REVOCATION_UNAVAILABLE;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.REVOKED;
import static de.amtsbote.crypto.validation.ValidationResult.Reason.STALE_CRL;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.RevocationResponder.CrlBehaviour;
import de.amtsbote.crypto.pki.RevocationResponder.OcspBehaviour;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation checking against CAs whose CRL and OCSP responder run on loopback: answers, order of sources, fail-closed
 * and soft-fail, stale CRLs, CRL files, OCSP nonces and signers, caching. Each test has its own EC CA and responder
 * (cheap), so that misbehaviour and request counts stay with the test; the RSA CA is made once.
 */
class RevocationCheckingTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    static MutableClock rsaClock;
    static LocalCa rsaRoot;

    final MutableClock clock = new MutableClock(NOW);
    LocalCa ca;
    IssuedCertificate alice;

    @TempDir
    Path dir;

    @BeforeAll
    static void rsaCa() throws Exception {
        rsaClock = new MutableClock(NOW);
        rsaRoot = LocalCa.root("Amtsbote Revocation Root RSA", KeySpec.rsa(3072), rsaClock, rsaClock);
    }

    @AfterAll
    static void stopRsaCa() {
        rsaRoot.close();
    }

    @BeforeEach
    void ca() throws Exception {
        ca = LocalCa.root("Amtsbote Revocation Root EC", KeySpec.ec("P-256"), clock, clock);
        alice = ca.issue("Alice", CertificateProfile.SIGNING, KeySpec.ec("P-256"));
    }

    @AfterEach
    void stopCa() {
        ca.close();
    }

    private PkixCertificateValidator.Builder validator(RevocationSources sources) {
        return PkixCertificateValidator.builder().trustAnchor(ca.certificate()).trustAnchor(rsaRoot.certificate())
                .clock(clock).revocation(sources).timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    private static ValidationResult validate(PkixCertificateValidator v, IssuedCertificate cert, X509Certificate... chain) {
        return v.validate(cert.certificate(), List.of(chain), CertificateUsage.MESSAGE_SIGNATURE, NOW);
    }

    // ------------------------------------------------------------------ good and revoked

    @Test
    void validViaOcsp() {
        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.revocation()).isEqualTo("OCSP " + ca.responder().ocspUrl());
        assertThat(r.detail()).contains("revocation status from OCSP http://127.0.0.1:");
        assertThat(ca.responder().ocspRequests()).isEqualTo(1);
        assertThat(ca.responder().crlRequests()).isZero();
    }

    @Test
    void validViaCrl() {
        ValidationResult r = validate(validator(RevocationSources.CRL_ONLY).build(), alice);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.revocation()).isEqualTo("CRL " + ca.responder().crlUrl());
        assertThat(ca.responder().crlRequests()).isEqualTo(1);
        assertThat(ca.responder().ocspRequests()).isZero();
    }

    @Test
    void revokedViaOcspNamesDateReasonAndSource() {
        Instant revokedAt = NOW.minus(Duration.ofHours(3));
        ca.responder().revoke(alice.certificate(), revokedAt);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOKED);
        assertThat(r.status()).isEqualTo("revoked");
        assertThat(r.detail()).contains("CN=Alice", "revoked on " + revokedAt, "(keyCompromise)",
                "OCSP " + ca.responder().ocspUrl());
    }

    @Test
    void revokedViaCrlNamesDateReasonAndSource() {
        Instant revokedAt = NOW.minus(Duration.ofDays(2));
        ca.responder().revoke(alice.certificate(), revokedAt, CRLReason.superseded);

        ValidationResult r = validate(validator(RevocationSources.CRL_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOKED);
        assertThat(r.detail()).contains("CN=Alice", "revoked on " + revokedAt, "(superseded)",
                "CRL " + ca.responder().crlUrl());
    }

    @Test
    void revokedViaOcspUnderAnRsaCa() throws Exception {
        IssuedCertificate bob = rsaRoot.issue("Bob", CertificateProfile.SIGNING, KeySpec.ec("P-256"));
        rsaRoot.responder().revoke(bob.certificate(), NOW.minus(Duration.ofMinutes(5)), CRLReason.cessationOfOperation);

        ValidationResult r = validate(validator(RevocationSources.OCSP_THEN_CRL).build(), bob);

        assertThat(r.reason()).isEqualTo(REVOKED);
        assertThat(r.detail()).contains("CN=Bob", "(cessationOfOperation)");
    }

    @Test
    void aRevokedIntermediateInvalidatesTheCertificatesBelowIt() throws Exception {
        try (LocalCa intermediate = rsaRoot.intermediate("Revoked Intermediate", KeySpec.ec("P-256"))) {
            IssuedCertificate carol = intermediate.issue("Carol", CertificateProfile.SIGNING, KeySpec.ec("P-256"));
            rsaRoot.responder().revoke(intermediate.certificate(), NOW.minus(Duration.ofDays(1)), CRLReason.cACompromise);

            ValidationResult r = validate(validator(RevocationSources.OCSP_THEN_CRL).build(), carol,
                    intermediate.certificate());

            assertThat(r.reason()).isEqualTo(REVOKED);
            assertThat(r.detail()).startsWith("The intermediate CA CN=Revoked Intermediate").contains("(cACompromise)");
            assertThat(intermediate.responder().ocspRequests()).as("the CA is checked before its subjects").isZero();
        }
    }

    // ------------------------------------------------------------------ unavailable: fail-closed, soft-fail, order

    @Test
    void responderDownFailsClosed() {
        ca.responder().stop();

        ValidationResult r = validate(validator(RevocationSources.OCSP_THEN_CRL).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.status()).isEqualTo("revocation status unavailable");
        assertThat(r.detail()).contains("CN=Alice", "cannot connect to " + ca.responder().ocspUrl(),
                "cannot connect to " + ca.responder().crlUrl());
    }

    @Test
    void responderDownWithSoftFailConfiguredIsValidButFlagged() {
        ca.responder().stop();

        ValidationResult r = validate(validator(RevocationSources.OCSP_THEN_CRL).softFail().build(), alice);

        assertThat(r.valid()).isTrue();
        assertThat(r.status()).isEqualTo("valid (flagged)");
        assertThat(r.revocation()).isEqualTo("unavailable (soft-fail)");
        assertThat(r.flags()).singleElement().asString().contains("CN=Alice", "unavailable", "soft-fail is configured");
    }

    @Test
    void aRestartedResponderAnswersAgain() throws Exception {
        PkixCertificateValidator v = validator(RevocationSources.OCSP_ONLY).build();
        ca.responder().stop();
        assertThat(validate(v, alice).reason()).isEqualTo(REVOCATION_UNAVAILABLE);

        ca.responder().restart();

        assertThat(validate(v, alice).valid()).isTrue();
    }

    @Test
    void ocspDownButCrlUpIsValidViaTheCrlWhenOcspComesFirst() {
        ca.responder().ocspBehaviour(OcspBehaviour.HTTP_UNAVAILABLE);

        ValidationResult r = validate(validator(RevocationSources.OCSP_THEN_CRL).build(), alice);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.revocation()).startsWith("CRL " + ca.responder().crlUrl()).contains("OCSP had no answer", "HTTP 503");
        assertThat(ca.responder().ocspRequests()).isEqualTo(1);
    }

    @Test
    void crlFirstDoesNotAskOcspWhenTheCrlAnswers() {
        ValidationResult r = validate(validator(RevocationSources.CRL_THEN_OCSP).build(), alice);

        assertThat(r.valid()).isTrue();
        assertThat(r.revocation()).isEqualTo("CRL " + ca.responder().crlUrl());
        assertThat(ca.responder().ocspRequests()).isZero();
    }

    @Test
    void crlDownButOcspUpIsValidViaOcspWhenTheCrlComesFirst() {
        ca.responder().crlBehaviour(CrlBehaviour.GARBAGE);

        ValidationResult r = validate(validator(RevocationSources.CRL_THEN_OCSP).build(), alice);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.revocation()).startsWith("OCSP ").contains("CRL had no answer", "unusable answer");
    }

    @Test
    void switchedOffRevocationCheckingIsValidButFlagged() {
        ca.responder().revoke(alice.certificate(), NOW.minus(Duration.ofDays(1)));

        ValidationResult r = validate(validator(RevocationSources.NONE).build(), alice);

        assertThat(r.valid()).isTrue();
        assertThat(r.flags()).containsExactly("revocation not checked: switched off by configuration");
        assertThat(r.revocation()).startsWith("none");
        assertThat(ca.responder().ocspRequests() + ca.responder().crlRequests()).isZero();
    }

    @Test
    void aCertificateNamingNoResponderHasNoOcspStatus() throws Exception {
        IssuedCertificate silent = ca.issue(IssueRequest.named("Silent").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")));

        ValidationResult r = validate(validator(RevocationSources.OCSP_THEN_CRL).build(), silent);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("names no OCSP responder", "names no CRL distribution point");
    }

    @Test
    void aConfiguredResponderIsAskedInsteadOfTheCertificatesOwn() throws Exception {
        IssuedCertificate silent = ca.issue(IssueRequest.named("Silent").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")));

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).ocspResponder(ca.responder().ocspUrl())
                .build(), silent);

        assertThat(r.valid()).as(r.detail()).isTrue();
        assertThat(r.revocation()).isEqualTo("OCSP " + ca.responder().ocspUrl());
    }

    @Test
    void aHangingResponderTimesOut() {
        ca.responder().ocspBehaviour(OcspBehaviour.HANG);

        long start = System.nanoTime();
        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY)
                .timeouts(Duration.ofSeconds(1), Duration.ofMillis(400)).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("no answer from " + ca.responder().ocspUrl() + " within 400 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aResponderThatStallsInTheMiddleOfItsAnswerTimesOut() {
        ca.responder().ocspBehaviour(OcspBehaviour.STALL_BODY);

        long start = System.nanoTime();
        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY)
                .timeouts(Duration.ofSeconds(1), Duration.ofMillis(400)).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("no answer from " + ca.responder().ocspUrl() + " within 400 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anAnswerLargerThanTheLimitIsNotRead() throws Exception {
        for (int i = 0; i < 40; i++) {
            ca.responder().revoke(ca.issue("Revoked " + i, CertificateProfile.SIGNING, KeySpec.ec("P-256")).certificate(),
                    NOW.minus(Duration.ofDays(1)));
        }

        ValidationResult r = validate(validator(RevocationSources.CRL_ONLY).maxResponseBytes(1024).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("larger than the limit of 1024 bytes");
    }

    // ------------------------------------------------------------------ CRLs: stale, files

    @Test
    void aStaleCrlThatIsTheOnlySourceGivesStaleCrl() {
        ca.responder().crlBehaviour(CrlBehaviour.STALE);

        ValidationResult r = validate(validator(RevocationSources.CRL_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(STALE_CRL);
        assertThat(r.status()).isEqualTo("revocation status stale");
        assertThat(r.detail()).contains("CN=Alice", "was due for renewal at " + NOW.minus(Duration.ofDays(1)),
                ca.responder().crlUrl().toString());
    }

    @Test
    void aStaleCrlBehindAnUnavailableOcspResponderStillGivesStaleCrl() {
        ca.responder().crlBehaviour(CrlBehaviour.STALE);
        ca.responder().ocspBehaviour(OcspBehaviour.GARBAGE);

        ValidationResult r = validate(validator(RevocationSources.OCSP_THEN_CRL).build(), alice);

        assertThat(r.reason()).isEqualTo(STALE_CRL);
        assertThat(r.detail()).contains("unusable answer from " + ca.responder().ocspUrl());
    }

    @Test
    void aStaleCrlStillProvesARevocation() {
        ca.responder().revoke(alice.certificate(), NOW.minus(Duration.ofDays(3)));
        ca.responder().crlBehaviour(CrlBehaviour.STALE);

        ValidationResult r = validate(validator(RevocationSources.CRL_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOKED);
    }

    @Test
    void aStaleCrlWithSoftFailIsValidButFlagged() {
        ca.responder().crlBehaviour(CrlBehaviour.STALE);

        ValidationResult r = validate(validator(RevocationSources.CRL_ONLY).softFail().build(), alice);

        assertThat(r.valid()).isTrue();
        assertThat(r.flags()).singleElement().asString().contains("stale", "soft-fail is configured");
    }

    @Test
    void readsACrlFromAFile() throws Exception {
        IssuedCertificate noDp = ca.issue(IssueRequest.named("No Distribution Point").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")));
        IssuedCertificate revoked = ca.issue(IssueRequest.named("Revoked In File").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")));
        ca.responder().revoke(revoked.certificate(), NOW.minus(Duration.ofDays(1)));
        Path file = dir.resolve("ca.crl");
        Files.write(file, ca.responder().currentCrl().getEncoded());
        PkixCertificateValidator v = validator(RevocationSources.CRL_ONLY).crlFile(file).build();

        ValidationResult good = validate(v, noDp);
        ValidationResult bad = validate(v, revoked);

        assertThat(good.valid()).as(good.detail()).isTrue();
        assertThat(good.revocation()).isEqualTo("CRL " + file.toUri());
        assertThat(bad.reason()).isEqualTo(REVOKED);
        assertThat(bad.detail()).contains("CRL " + file.toUri());
        assertThat(ca.responder().crlRequests()).isZero();
    }

    @Test
    void readsAPemCrlFileGivenAsFileUriAndRereadsItWhenItChanges() throws Exception {
        IssuedCertificate noDp = ca.issue(IssueRequest.named("No Distribution Point").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")));
        Path file = dir.resolve("ca.pem");
        Files.writeString(file, de.amtsbote.crypto.pki.Pem.encode(ca.responder().currentCrl()));
        PkixCertificateValidator v = validator(RevocationSources.CRL_ONLY).crlFile(file.toUri()).build();
        assertThat(validate(v, noDp).valid()).isTrue();

        ca.responder().revoke(noDp.certificate(), NOW.minus(Duration.ofHours(1)));
        X509CRL updated = ca.responder().currentCrl();
        Files.writeString(file, de.amtsbote.crypto.pki.Pem.encode(updated) + "\n");

        assertThat(validate(v, noDp).reason()).isEqualTo(REVOKED);
    }

    @Test
    void ignoresAConfiguredCrlFileOfAnotherCa() throws Exception {
        Path file = dir.resolve("other.crl");
        Files.write(file, rsaRoot.responder().currentCrl().getEncoded());
        IssuedCertificate noDp = ca.issue(IssueRequest.named("No Distribution Point").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")));

        ValidationResult r = validate(validator(RevocationSources.CRL_ONLY).crlFile(file).build(), noDp);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("no CRL at hand is issued by CN=Amtsbote Revocation Root EC");
    }

    // ------------------------------------------------------------------ OCSP: nonce, signer, errors

    @Test
    void refusesAnOcspAnswerWithAnotherNonce() {
        ca.responder().ocspBehaviour(OcspBehaviour.WRONG_NONCE);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("another nonce than the request");
    }

    @Test
    void acceptsAFreshOcspAnswerWithoutNonce() {
        ca.responder().ocspBehaviour(OcspBehaviour.NO_NONCE);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.valid()).as(r.detail()).isTrue();
    }

    @Test
    void refusesAnOcspAnswerWithoutNonceOlderThanTheFreshnessWindow() {
        ca.responder().ocspBehaviour(OcspBehaviour.NO_NONCE_OLD);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);
        ValidationResult wider = validate(validator(RevocationSources.OCSP_ONLY).ocspFreshness(Duration.ofDays(3))
                .build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("carries no nonce", "older than the PT24H");
        assertThat(wider.valid()).as(wider.detail()).isTrue();
    }

    @Test
    void refusesAnOcspAnswerSignedByAKeyTheCaDidNotAuthorise() {
        ca.responder().ocspBehaviour(OcspBehaviour.FOREIGN_SIGNER);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("signed by CN=Rogue OCSP responder", "not an authorised responder");
    }

    @Test
    void refusesAnOcspAnswerThatClaimsTheCasNameWithAnotherKey() {
        ca.responder().ocspBehaviour(OcspBehaviour.IMPERSONATED_CA);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("does not verify with the key of CN=Amtsbote Revocation Root EC");
    }

    @Test
    void acceptsADelegatedResponderCertifiedByTheCa() throws Exception {
        ca.responder().delegateTo(ca.issue("Delegated Responder", CertificateProfile.OCSP_RESPONDER,
                KeySpec.ec("P-256")));

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.valid()).as(r.detail()).isTrue();
    }

    @Test
    void refusesADelegatedResponderWithoutOcspSigning() throws Exception {
        ca.responder().delegateTo(ca.issue("Not A Responder", CertificateProfile.SIGNING, KeySpec.ec("P-256")));

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("CN=Not A Responder", "lacks the OCSPSigning extended key usage");
    }

    @Test
    void refusesAResponderCertifiedByAnotherCa() throws Exception {
        ca.responder().delegateTo(rsaRoot.issue("Responder Of Another CA", CertificateProfile.OCSP_RESPONDER,
                KeySpec.ec("P-256")));

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("CN=Responder Of Another CA", "did not certify");
    }

    @Test
    void anOcspErrorStatusIsNoAnswer() {
        ca.responder().ocspBehaviour(OcspBehaviour.TRY_LATER);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("answered 'tryLater'");
    }

    @Test
    void anOcspAnswerPastItsNextUpdateIsNoAnswer() {
        ca.responder().ocspBehaviour(OcspBehaviour.STALE);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("expired at its nextUpdate");
    }

    @Test
    void anOcspAnswerFromAnotherCasResponderIsNotAuthorised() throws Exception {
        IssuedCertificate wrongAia = rsaRoot.issue(IssueRequest.named("Wrong AIA").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).ocsp(ca.responder().ocspUrl()));

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), wrongAia);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("signed by CN=Amtsbote Revocation Root EC",
                "neither CN=Amtsbote Revocation Root RSA");
    }

    @Test
    void anUnknownStatusIsNoAnswer() {
        ca.responder().ocspBehaviour(OcspBehaviour.UNKNOWN);

        ValidationResult r = validate(validator(RevocationSources.OCSP_ONLY).build(), alice);

        assertThat(r.reason()).isEqualTo(REVOCATION_UNAVAILABLE);
        assertThat(r.detail()).contains("does not know CN=Alice", "status unknown");
    }

    // ------------------------------------------------------------------ caching

    @Test
    void aSecondValidationUsesTheCachedOcspAnswer() {
        PkixCertificateValidator v = validator(RevocationSources.OCSP_ONLY).build();

        ValidationResult first = validate(v, alice);
        ValidationResult second = validate(v, alice);

        assertThat(first.valid()).isTrue();
        assertThat(second.valid()).isTrue();
        assertThat(second.revocation()).isEqualTo("OCSP " + ca.responder().ocspUrl() + " (cached)");
        assertThat(ca.responder().ocspRequests()).isEqualTo(1);
    }

    @Test
    void theCachedOcspAnswerExpiresAtItsNextUpdate() {
        ca.responder().ocspValidity(Duration.ofHours(1));
        PkixCertificateValidator v = validator(RevocationSources.OCSP_ONLY).build();
        validate(v, alice);

        clock.advance(Duration.ofMinutes(59));
        validate(v, alice);
        assertThat(ca.responder().ocspRequests()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        ValidationResult after = validate(v, alice);
        assertThat(ca.responder().ocspRequests()).isEqualTo(2);
        assertThat(after.revocation()).doesNotContain("cached");
    }

    @Test
    void aCachedGoodAnswerHidesARevocationUntilItExpires() {
        ca.responder().ocspValidity(Duration.ofHours(1));
        PkixCertificateValidator v = validator(RevocationSources.OCSP_ONLY).build();
        validate(v, alice);
        ca.responder().revoke(alice.certificate(), NOW);

        assertThat(validate(v, alice).valid()).as("the answer is good until its nextUpdate").isTrue();
        clock.advance(Duration.ofMinutes(61));
        assertThat(validate(v, alice).reason()).isEqualTo(REVOKED);
    }

    @Test
    void anOcspAnswerWithoutNextUpdateIsCachedForTheMaximumAge() {
        ca.responder().ocspValidity(null);
        PkixCertificateValidator v = validator(RevocationSources.OCSP_ONLY).cacheMaxAge(Duration.ofMinutes(10)).build();
        validate(v, alice);

        clock.advance(Duration.ofMinutes(9));
        validate(v, alice);
        assertThat(ca.responder().ocspRequests()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        validate(v, alice);
        assertThat(ca.responder().ocspRequests()).isEqualTo(2);
    }

    @Test
    void theCrlIsCachedUntilItsNextUpdate() throws Exception {
        ca.responder().crlValidity(Duration.ofHours(6));
        IssuedCertificate bob = ca.issue("Bob", CertificateProfile.SIGNING, KeySpec.ec("P-256"));
        PkixCertificateValidator v = validator(RevocationSources.CRL_ONLY).build();

        validate(v, alice);
        ValidationResult cached = validate(v, bob);
        assertThat(cached.revocation()).isEqualTo("CRL " + ca.responder().crlUrl() + " (cached)");
        assertThat(ca.responder().crlRequests()).isEqualTo(1);

        clock.advance(Duration.ofHours(6));
        validate(v, alice);
        assertThat(ca.responder().crlRequests()).isEqualTo(2);
    }

    @Test
    void failuresAreNotCached() {
        PkixCertificateValidator v = validator(RevocationSources.OCSP_ONLY).build();
        ca.responder().ocspBehaviour(OcspBehaviour.HTTP_UNAVAILABLE);
        assertThat(validate(v, alice).valid()).isFalse();

        ca.responder().ocspBehaviour(OcspBehaviour.ANSWER);

        assertThat(validate(v, alice).valid()).isTrue();
        assertThat(ca.responder().ocspRequests()).isEqualTo(2);
    }

    @Test
    void concurrentValidationsShareTheValidatorSafely() throws Exception {
        List<IssuedCertificate> people = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            people.add(ca.issue("Person " + i, CertificateProfile.SIGNING, KeySpec.ec("P-256")));
        }
        ca.responder().revoke(people.get(3).certificate(), NOW.minus(Duration.ofDays(1)));
        PkixCertificateValidator v = validator(RevocationSources.OCSP_THEN_CRL).cacheSize(4).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ValidationResult>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (IssuedCertificate p : people) {
                    results.add(pool.submit(() -> validate(v, p)));
                }
            }
            for (int k = 0; k < results.size(); k++) {
                ValidationResult r = results.get(k).get(30, TimeUnit.SECONDS);
                if (k % people.size() == 3) {
                    assertThat(r.reason()).isEqualTo(REVOKED);
                } else {
                    assertThat(r.valid()).as(r.detail()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
