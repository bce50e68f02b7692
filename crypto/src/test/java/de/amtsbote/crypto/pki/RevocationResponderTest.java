package de.amtsbote.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.Providers;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback responder speaks RFC 5280 CRLs and RFC 6960 OCSP as a real CA's would; checked here with plain BC. */
class RevocationResponderTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final HttpClient http = HttpClient.newHttpClient();
    CertificateAuthority ca;
    RevocationResponder responder;
    X509Certificate alice;

    @BeforeEach
    void start() throws Exception {
        ca = CertificateAuthority.root("Responder Test CA", KeySpec.ec("P-256"), clock);
        responder = RevocationResponder.start(ca, clock);
        alice = ca.issue(IssueRequest.named("Alice").key(KeySpec.ec("P-256"))).certificate();
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    @Test
    void listensOnLoopbackOnAFreePort() {
        assertThat(responder.port()).isPositive();
        assertThat(responder.crlUrl()).isEqualTo(URI.create("http://127.0.0.1:" + responder.port() + "/crl"));
        assertThat(responder.ocspUrl()).isEqualTo(URI.create("http://127.0.0.1:" + responder.port() + "/ocsp"));
    }

    @Test
    void servesTheCurrentCrlSignedByTheCaWithTheRevokedCertificates() throws Exception {
        responder.revoke(alice, NOW.minus(Duration.ofHours(2)), CRLReason.superseded);

        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(responder.crlUrl()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(response.body()));
        crl.verify(ca.certificate().getPublicKey(), Providers.bouncyCastle());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(crl.getThisUpdate()).isEqualTo(Date.from(NOW));
        assertThat(crl.getNextUpdate()).isEqualTo(Date.from(NOW.plus(Duration.ofDays(1))));
        X509CRLEntry entry = crl.getRevokedCertificate(alice.getSerialNumber());
        assertThat(entry.getRevocationDate()).isEqualTo(Date.from(NOW.minus(Duration.ofHours(2))));
        assertThat(entry.getRevocationReason()).isEqualTo(java.security.cert.CRLReason.SUPERSEDED);
        assertThat(responder.crlRequests()).isEqualTo(1);
    }

    @Test
    void aStaleCrlHasItsNextUpdateInThePast() throws Exception {
        responder.crlBehaviour(RevocationResponder.CrlBehaviour.STALE);

        assertThat(responder.currentCrl().getNextUpdate()).isBefore(Date.from(NOW));
    }

    @Test
    void answersGoodSignedByTheCaAndEchoesTheNonce() throws Exception {
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);

        BasicOCSPResp basic = ask(alice.getSerialNumber(), nonce);

        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle())
                .build(ca.certificate().getPublicKey()))).isTrue();
        assertThat(basic.getResponderId()).isEqualTo(new RespID(
                new X509CertificateHolder(ca.certificate().getEncoded()).getSubject()));
        SingleResp single = basic.getResponses()[0];
        assertThat(single.getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        assertThat(single.getThisUpdate()).isEqualTo(Date.from(NOW));
        assertThat(single.getNextUpdate()).isEqualTo(Date.from(NOW.plus(Duration.ofHours(1))));
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
                .isEqualTo(new DEROctetString(nonce).getEncoded());
        assertThat(responder.ocspRequests()).isEqualTo(1);
    }

    @Test
    void answersRevokedWithTimeAndReason() throws Exception {
        responder.revoke(alice, NOW.minus(Duration.ofDays(3)));

        SingleResp single = ask(alice.getSerialNumber(), null).getResponses()[0];

        assertThat(single.getCertStatus()).isInstanceOf(RevokedStatus.class);
        RevokedStatus revoked = (RevokedStatus) single.getCertStatus();
        assertThat(revoked.getRevocationTime()).isEqualTo(Date.from(NOW.minus(Duration.ofDays(3))));
        assertThat(revoked.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
    }

    @Test
    void answersUnknownForACertificateOfAnotherIssuer() throws Exception {
        CertificateAuthority other = CertificateAuthority.root("Other CA", KeySpec.ec("P-256"), clock);
        X509Certificate foreign = other.issue(IssueRequest.named("Foreign").key(KeySpec.ec("P-256"))).certificate();

        SingleResp single = ask(foreign.getSerialNumber(), null, other.certificate()).getResponses()[0];

        assertThat(single.getCertStatus()).isInstanceOf(UnknownStatus.class);
    }

    @Test
    void signsWithADelegatedResponderCertificateAndIncludesIt() throws Exception {
        IssuedCertificate delegate = ca.issue(IssueRequest.named("Delegated").profile(CertificateProfile.OCSP_RESPONDER)
                .key(KeySpec.ec("P-256")));
        responder.delegateTo(delegate);

        BasicOCSPResp basic = ask(alice.getSerialNumber(), null);

        assertThat(basic.getCerts()).hasSize(1);
        assertThat(basic.getCerts()[0].getEncoded()).isEqualTo(delegate.certificate().getEncoded());
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle())
                .build(delegate.certificate().getPublicKey()))).isTrue();
    }

    @Test
    void refusesConnectionsWhileStoppedAndAnswersAfterARestart() throws Exception {
        responder.stop();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(responder.crlUrl()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(ConnectException.class);

        responder.restart();

        assertThat(http.send(HttpRequest.newBuilder(responder.crlUrl()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
    }

    @Test
    void answersHttp503WhenToldTheServiceIsUnavailable() throws Exception {
        responder.ocspBehaviour(RevocationResponder.OcspBehaviour.HTTP_UNAVAILABLE);

        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(responder.ocspUrl())
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x30, 0x00})).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void answersMalformedRequestToBytesThatAreNoOcspRequest() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(responder.ocspUrl())
                .POST(HttpRequest.BodyPublishers.ofByteArray("hello".getBytes())).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(new OCSPResp(response.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
    }

    @Test
    void refusesToRevokeACertificateOfAnotherIssuer() throws Exception {
        CertificateAuthority other = CertificateAuthority.root("Other CA", KeySpec.ec("P-256"), clock);

        assertThatThrownBy(() -> responder.revoke(other.certificate(), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CN=Other CA");
    }

    private BasicOCSPResp ask(BigInteger serial, byte[] nonce) throws Exception {
        return ask(serial, nonce, ca.certificate());
    }

    private BasicOCSPResp ask(BigInteger serial, byte[] nonce, X509Certificate issuer) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                new X509CertificateHolder(issuer.getEncoded()), serial);
        OCSPReqBuilder b = new OCSPReqBuilder().addRequest(id);
        if (nonce != null) {
            b.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(nonce).getEncoded())));
        }
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(responder.ocspUrl())
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.build().getEncoded())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        OCSPResp resp = new OCSPResp(response.body());
        assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        return (BasicOCSPResp) resp.getResponseObject();
    }
}
