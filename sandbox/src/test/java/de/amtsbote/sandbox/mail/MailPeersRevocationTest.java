package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.mail.TestPki.CITIZEN;
import static de.amtsbote.sandbox.mail.TestPki.PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.sandbox.mail.MailLogEntry.Event;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation "auto", the default: a signer certificate that names an OCSP responder is checked there (a revoked one
 * fails), one that names none is accepted with a flag saying revocation was not checked.
 */
class MailPeersRevocationTest {

    static final TestPki PKI = TestPki.get();
    static final Duration WAIT = Duration.ofSeconds(15);

    static RevocationResponder responder;
    static IssuedCertificate good;
    static IssuedCertificate revoked;

    @TempDir
    Path dir;

    GatewayStandIn gateway;
    MailPeers peers;

    @BeforeAll
    static void startResponder() throws Exception {
        Path trusted = PKI.pki.directory();
        CertificateAuthority ca = CertificateAuthority.load(Pem.readCertificates(trusted.resolve("ca.pem")),
                Pem.readTestPrivateKey(trusted.resolve("ca.key.pem")), Clock.systemUTC());
        responder = RevocationResponder.start(ca, Clock.systemUTC());
        good = ca.issue(IssueRequest.named("Bad Vilbel, OCSP-checked").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).email(PARTICIPANT).ocsp(responder.ocspUrl()));
        revoked = ca.issue(IssueRequest.named("Bad Vilbel, revoked").profile(CertificateProfile.SIGNING)
                .key(KeySpec.ec("P-256")).email(PARTICIPANT).ocsp(responder.ocspUrl()));
        responder.revoke(revoked.certificate(), Instant.now().minusSeconds(60));
    }

    @AfterAll
    static void stopResponder() {
        responder.close();
    }

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayStandIn();
        peers = MailPeers.start(MailPeersConfig.builder(dir.resolve("data")).smtpPort(0).imapPort(0)
                .gatewaySmtp("127.0.0.1", gateway.port()).trustAnchors(PKI.anchor())
                .peer(PKI.peer(CITIZEN, "citizen").receipts(ReceiptMode.never()).build()).build());
    }

    @AfterEach
    void stop() {
        peers.close();
        gateway.close();
    }

    MailLogEntry deliverSignedBy(SoftwareKeyHandle signer) throws Exception {
        String id = GatewayMail.messageId();
        GatewayMail.send(peers.smtpPort(), PARTICIPANT, CITIZEN, GatewayMail.signedAndEncrypted(
                GatewayMail.headers(PARTICIPANT, CITIZEN, "Bescheid", id, false), signer,
                PKI.pki.certificate("citizen"), PKI.pki.anchor(), false));
        Eventually.await("the peer opened " + id, WAIT, () -> peers.peer(CITIZEN).log().stream()
                .anyMatch(e -> e.event() == Event.RECEIVED && id.equals(e.messageId())));
        return peers.peer(CITIZEN).log().stream().filter(e -> id.equals(e.messageId())).findFirst().orElseThrow();
    }

    static SoftwareKeyHandle handle(IssuedCertificate c, String id) {
        return new SoftwareKeyHandle(new KeyRef("test", KeyPurpose.SIGNING, id), c.privateKey(), c.chain());
    }

    @Test
    void aSignerWhoseCertificateWasRevokedFails() throws Exception {
        MailLogEntry e = deliverSignedBy(handle(revoked, "revoked"));

        assertThat(e.signatureValid()).isFalse();
        assertThat(e.readable()).isFalse();
        assertThat(e.problem()).containsIgnoringCase("revoked");
    }

    @Test
    void aSignerWhoseCertificateNamesAResponderIsCheckedThere() throws Exception {
        int before = responder.ocspRequests();

        MailLogEntry e = deliverSignedBy(handle(good, "good"));

        assertThat(e.signatureValid()).as(e.problem()).isTrue();
        assertThat(responder.ocspRequests()).isGreaterThan(before);
        assertThat(e.flags()).noneMatch(f -> f.contains("revocation not checked"));
    }

    @Test
    void aSignerWhoseCertificateNamesNoResponderIsAcceptedWithAFlag() throws Exception {
        MailLogEntry e = deliverSignedBy(PKI.key("participant-signing", KeyPurpose.SIGNING));

        assertThat(e.signatureValid()).isTrue();
        assertThat(e.flags()).anyMatch(f -> f.contains("revocation not checked"));
    }
}
