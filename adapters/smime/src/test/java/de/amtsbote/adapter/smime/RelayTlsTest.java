package de.amtsbote.adapter.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.TransientTransportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The relay over TLS with authentication, as a municipal mail server runs it: STARTTLS that must succeed, implicit
 * TLS, the relay's certificate checked against the configured anchors, and SMTP AUTH with a password from a file.
 */
class RelayTlsTest {

    static final TestWorld WORLD = TestWorld.get();
    static final char[] KEY_PASSWORD = "relay-key".toCharArray();

    final List<String> logins = new CopyOnWriteArrayList<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    SMTPServer server;
    SmimeAdapter adapter;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static SSLContext serverContext(CertificateAuthority ca) throws Exception {
        IssuedCertificate tls = ca.issue(IssueRequest.named("relay.bad-vilbel.example")
                .profile(CertificateProfile.TLS_SERVER).key(KeySpec.ec("P-256")).ip("127.0.0.1"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("relay", tls.privateKey(), KEY_PASSWORD, tls.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, KEY_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private SMTPServer.Builder server() {
        return SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress())
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, ctx) -> {
                    if (!user.equals("gateway") || !password.equals("relay password")) {
                        throw new LoginFailedException("535 5.7.8 bad credentials");
                    }
                    logins.add(user);
                }))
                .requireAuth(true)
                .messageHandlerFactory(ctx -> new MessageHandler() {
                    @Override
                    public void from(String from) {
                    }

                    @Override
                    public void recipient(String recipient) {
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        received.add(new String(data.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
                        return null;
                    }

                    @Override
                    public void done() {
                    }
                });
    }

    private void startAdapter(String tls, String password) throws Exception {
        Path secret = Files.writeString(dir.resolve("relay.secret"), password + "\n");
        adapter = WORLD.start(Map.of("relay.host", "127.0.0.1", "relay.port",
                Integer.toString(server.getPortAllocated()), "relay.tls", tls, "relay.trust-pem", WORLD.caPem.toString(),
                "relay.user", "gateway", "relay.password-file", secret.toString(), "relay.timeout", "5s",
                "listen.enabled", "false"), new RecordingSink(), WORLD.directory(), ChannelMemory.inProcess());
    }

    @Test
    void sendsOverStartTlsWithAuthentication() throws Exception {
        server = server().enableTLS().requireTLS().startTlsSocketFactory(serverContext(WORLD.ca)).build();
        server.start();
        startAdapter("starttls", "relay password");

        String reference = adapter.dispatch(Envelopes.letter("d-starttls", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT)).transportReference();

        assertThat(logins).containsExactly("gateway");
        assertThat(received).singleElement().satisfies(m -> assertThat(m).contains("Message-ID: " + reference));
    }

    @Test
    void sendsOverImplicitTls() throws Exception {
        server = server().serverSocketFactory(serverContext(WORLD.ca)).build();
        server.start();
        startAdapter("implicit", "relay password");

        adapter.dispatch(Envelopes.letter("d-smtps", TestWorld.VIERNHEIM_ADDRESS, Envelopes.SIGN_AND_ENCRYPT));

        assertThat(received).hasSize(1);
    }

    @Test
    void refusesARelayWhoseCertificateIsNotTrusted() throws Exception {
        CertificateAuthority other = CertificateAuthority.root("Fremde CA", KeySpec.ec("P-256"), Clock.systemUTC());
        server = server().serverSocketFactory(serverContext(other)).build();
        server.start();
        startAdapter("implicit", "relay password");

        assertThatThrownBy(() -> adapter.dispatch(Envelopes.letter("d-untrusted", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT))).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("relay 127.0.0.1:").hasMessageContaining("certification path");
        assertThat(received).isEmpty();
    }

    @Test
    void aRefusedLoginIsTransientAndNamesTheSetting() throws Exception {
        server = server().enableTLS().requireTLS().startTlsSocketFactory(serverContext(WORLD.ca)).build();
        server.start();
        startAdapter("starttls", "wrong password");

        assertThatThrownBy(() -> adapter.dispatch(Envelopes.letter("d-badlogin", TestWorld.VIERNHEIM_ADDRESS,
                Envelopes.SIGN_AND_ENCRYPT))).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("refused the login of gateway").hasMessageContaining("relay.user");
        assertThat(received).isEmpty();
    }
}
