package de.amtsbote.crypto.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS client login with the vault's TLS key (the De-Mail provider's client-certificate login), on real sockets. */
class TlsClientsTest {

    @TempDir
    static Path dir;
    static CertificateAuthority ca;
    static KeyVault vault;
    static Crypto crypto;
    static SSLServerSocket server;

    @BeforeAll
    static void vaultWithTlsKeyAndAServerThatDemandsClientCertificates() throws Exception {
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        ca = CertificateAuthority.root("TLS Test CA", KeySpec.ec("P-256"), Clock.systemUTC());
        Path password = Files.writeString(dir.resolve("vault.secret"), "a test vault password, long enough");
        vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"), SecretSource.file(password), policy, Clock.systemUTC());
        KeyRef key = vault.generate(Crypto.GATEWAY, KeyPurpose.TLS, KeySpec.ec("P-256"));
        String csr = vault.csr(key, new CsrSubject("Amtsbote Test", null, List.of()));
        vault.importCertificate(key, ca.certify(Pem.readCsr(new StringReader(csr)),
                IssueRequest.named("gateway").profile(CertificateProfile.TLS_CLIENT)).chain());
        crypto = Crypto.of(policy, vault, PkixCertificateValidator.builder().trustAnchor(ca.certificate())
                .policy(policy).revocation(RevocationSources.NONE).build(), Clock.systemUTC());

        IssuedCertificate tls = ca.issue(IssueRequest.named("provider").profile(CertificateProfile.TLS_SERVER)
                .key(KeySpec.ec("P-256")).ip("127.0.0.1"));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("s", tls.privateKey(), "x".toCharArray(), new X509Certificate[] {tls.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, "x".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        vault.close();
    }

    /** Accepts one connection and answers with the client certificate's subject and the protocol. */
    private static CompletableFuture<String> acceptOne() {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.startHandshake();
                String subject = ((X509Certificate) s.getSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
                s.getOutputStream().write(1);
                return subject + " " + s.getSession().getProtocol();
            } catch (IOException e) {
                return "refused: " + e.getMessage();
            }
        });
    }

    @Test
    void logsInWithTheOwnersTlsKeyAndCertificateFromTheVault() throws Exception {
        CompletableFuture<String> seen = acceptOne();
        try (SSLSocket s = (SSLSocket) crypto.tlsClientSockets(Crypto.GATEWAY, List.of(ca.certificate()))
                .createSocket("127.0.0.1", server.getLocalPort())) {
            s.startHandshake();
            assertThat(s.getInputStream().read()).isEqualTo(1);
        }
        assertThat(seen.get(10, TimeUnit.SECONDS)).contains("CN=gateway").endsWith("TLSv1.3");
    }

    @Test
    void offersOnlyTls13And12() throws Exception {
        try (SSLSocket s = (SSLSocket) crypto.tlsClientSockets(Crypto.GATEWAY, List.of(ca.certificate()))
                .createSocket()) {
            assertThat(s.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void refusesAServerOutsideTheGivenAnchors() throws Exception {
        CertificateAuthority other = CertificateAuthority.root("Other CA", KeySpec.ec("P-256"), Clock.systemUTC());
        CompletableFuture<String> seen = acceptOne();
        try (SSLSocket s = (SSLSocket) crypto.tlsClientSockets(Crypto.GATEWAY, List.of(other.certificate()))
                .createSocket("127.0.0.1", server.getLocalPort())) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
        }
        assertThat(seen.get(10, TimeUnit.SECONDS)).startsWith("refused");
    }

    @Test
    void anOwnerWithoutTlsKeyIsRefusedByAServerThatDemandsOne() throws Exception {
        CompletableFuture<String> seen = acceptOne();
        try (SSLSocket s = (SSLSocket) crypto.tlsClientSockets("nobody", List.of(ca.certificate()))
                .createSocket("127.0.0.1", server.getLocalPort())) {
            assertThatThrownBy(() -> {
                s.startHandshake();
                s.getInputStream().read();
            }).isInstanceOf(IOException.class);
        }
        assertThat(seen.get(10, TimeUnit.SECONDS)).startsWith("refused");
    }
}
