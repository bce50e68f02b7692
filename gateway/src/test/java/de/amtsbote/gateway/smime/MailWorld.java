package de.amtsbote.gateway.smime;

import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.PkiPlan;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.gateway.testing.TestVault;
import de.amtsbote.sandbox.mail.MailPeerConfig;
import de.amtsbote.sandbox.mail.MailPeers;
import de.amtsbote.sandbox.mail.MailPeersConfig;
import de.amtsbote.sandbox.mail.ReceiptMode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything around a gateway with the S/MIME channel, built for real at test time: a CA with an OCSP responder on
 * loopback, the gateway's key store with certified keys for its participant, and the sandbox mail peers (a mail
 * authority that answers with signed MDNs, a citizen who never does) on SubEthaSMTP and GreenMail.
 */
final class MailWorld implements AutoCloseable {

    static final String OWN = "stadt-bad-vilbel";
    static final String OWN_ADDRESS = "poststelle@bad-vilbel.example";
    static final String KREIS = "poststelle@kreis-bergstrasse.example";
    static final String ERIKA = "erika.mustermann@example.org";

    final Path dir;
    final GeneratedPki pki;
    final RevocationResponder ocsp;
    final TestVault vault;
    final Path ownEncryptionCertificate;
    final int listenPort;
    final MailPeers peers;

    MailWorld(Path dir) throws Exception {
        this.dir = dir;
        pki = GeneratedPki.generateOrLoad(dir.resolve("pki"), new PkiPlan("Amtsbote Test CA", KeySpec.ec("P-256"))
                .add("kreis", "Kreisverwaltung Bergstraße", CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.rsaDefault(),
                        KREIS)
                .add("erika", "Erika Mustermann", CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ecDefault(), ERIKA),
                Clock.systemUTC());
        ocsp = RevocationResponder.start(pki.authority(), Clock.systemUTC());
        vault = TestVault.createIn(dir);
        try (KeyVault keys = vault.open()) {
            certify(keys, keys.generate(OWN, KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1")), CertificateProfile.SIGNING);
            List<X509Certificate> encryption = certify(keys, keys.generate(OWN, KeyPurpose.ENCRYPTION,
                    KeySpec.rsaDefault()), CertificateProfile.ENCRYPTION);
            ownEncryptionCertificate = dir.resolve("pki/bad-vilbel-encryption.pem");
            Pem.writeCertificates(ownEncryptionCertificate, encryption);
            TestVault.certifyEvidenceKey(keys, pki.authority(), ocsp.ocspUrl());
        }
        Files.createDirectories(dir.resolve("spool"));
        listenPort = freePort();
        peers = MailPeers.start(MailPeersConfig.builder(dir.resolve("peers")).smtpPort(0).imapPort(0)
                .gatewaySmtp("127.0.0.1", listenPort).trustAnchors(pki.anchorFile())
                .peer(MailPeerConfig.builder(KREIS).name("Kreisverwaltung Bergstraße").password("kreis")
                        .certificate(pki.certificateFile("kreis")).key(pki.keyFile("kreis"))
                        .receipts(ReceiptMode.after(Duration.ofSeconds(2))).essReceipts(true).build())
                .peer(MailPeerConfig.builder(ERIKA).name("Erika Mustermann").password("erika")
                        .certificate(pki.certificateFile("erika")).key(pki.keyFile("erika"))
                        .receipts(ReceiptMode.never()).build())
                .build());
    }

    private List<X509Certificate> certify(KeyVault keys, KeyRef key, CertificateProfile profile) throws Exception {
        return TestVault.certify(keys, key, pki.authority(), ocsp.ocspUrl(), profile,
                new CsrSubject("Magistrat der Stadt Bad Vilbel", "Poststelle Bad Vilbel", List.of(OWN_ADDRESS)));
    }

    /** The gateway's configuration for this world. */
    Map<String, String> gatewayProperties() {
        Map<String, String> p = new java.util.HashMap<>(vault.properties());
        p.putAll(Map.ofEntries(
                Map.entry("amtsbote.crypto.trust-anchors[0]", pki.anchorFile().toString()),
                Map.entry("amtsbote.crypto.revocation.ocsp-responder", ocsp.ocspUrl().toString()),
                Map.entry("amtsbote.participants[0].id", OWN),
                Map.entry("amtsbote.participants[0].name", "Magistrat der Stadt Bad Vilbel"),
                Map.entry("amtsbote.participants[0].own", "true"),
                Map.entry("amtsbote.participants[0].addresses[0]", "smime:" + OWN_ADDRESS),
                Map.entry("amtsbote.participants[1].id", "kreis-bergstrasse"),
                Map.entry("amtsbote.participants[1].addresses[0]", "smime:" + KREIS),
                Map.entry("amtsbote.participants[1].certificates.smime", pki.certificateFile("kreis").toString()),
                Map.entry("amtsbote.participants[2].id", "erika-mustermann"),
                Map.entry("amtsbote.participants[2].addresses[0]", "smime:" + ERIKA),
                Map.entry("amtsbote.channels.smime.relay.host", "127.0.0.1"),
                Map.entry("amtsbote.channels.smime.relay.port", Integer.toString(peers.smtpPort())),
                Map.entry("amtsbote.channels.smime.relay.tls", "none"),
                Map.entry("amtsbote.channels.smime.listen.port", Integer.toString(listenPort)),
                Map.entry("amtsbote.channels.smime.spool-dir", dir.resolve("spool").toString())));
        return p;
    }

    @Override
    public void close() {
        peers.close();
        ocsp.close();
    }

    /** Starts a world in {@code dir}, for a test class's static field. */
    static MailWorld startIn(Path dir) {
        try {
            return new MailWorld(dir);
        } catch (Exception e) {
            throw new IllegalStateException("the mail world did not start: " + e.getMessage(), e);
        }
    }

    /** Waits until {@code condition} holds, polling every 100 ms, and fails naming {@code what} after the timeout. */
    static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        de.amtsbote.gateway.testing.Eventually.await(what, timeout, condition);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
