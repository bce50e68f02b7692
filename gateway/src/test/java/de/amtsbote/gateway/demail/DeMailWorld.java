package de.amtsbote.gateway.demail;

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
import de.amtsbote.sandbox.demail.AccountConfig;
import de.amtsbote.sandbox.demail.DeMailConfig;
import de.amtsbote.sandbox.demail.DeMailProvider;
import de.amtsbote.sandbox.demail.DeMailProviders;
import de.amtsbote.sandbox.demail.MailboxConfig;
import de.amtsbote.sandbox.demail.ProviderConfig;
import de.amtsbote.sandbox.demail.SecureLoginTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything around a gateway with the De-Mail channel, built for real at test time: one CA (with an OCSP responder on
 * loopback) standing in for the De-Mail PKI and the partners' PKI, the gateway's key store with its TLS client key and
 * its participants' signing and encryption keys, and two sandbox De-Mail providers: {@code dmda-a}, where the gateway
 * holds the institutional account of Bad Vilbel and Viernheim, and {@code dmda-b} with the district authority (whose
 * secure login the test triggers), a citizen with an end-to-end certificate, and a closed account.
 */
final class DeMailWorld implements AutoCloseable {

    static final String BAD_VILBEL = "stadt-bad-vilbel";
    static final String BAD_VILBEL_ADDRESS = "poststelle@bad-vilbel.de-mail.de";
    static final String VIERNHEIM = "stadt-viernheim";
    static final String VIERNHEIM_ADDRESS = "poststelle@viernheim.de-mail.de";
    static final String KREIS = "poststelle@kreis-bergstrasse.de-mail.de";
    static final String ERIKA = "erika.mustermann@dmda-b.de-mail.de";
    static final String CLOSED = "alt.konto@dmda-b.de-mail.de";
    static final String ACCOUNT_PASSWORD = "account password of the gateway";

    final Path dir;
    final GeneratedPki pki;
    final RevocationResponder ocsp;
    final TestVault vault;
    final Path ownEncryptionCertificate;
    final DeMailProviders demail;

    DeMailWorld(Path dir) throws Exception {
        this.dir = dir;
        pki = GeneratedPki.generateOrLoad(dir.resolve("pki"), new PkiPlan("Amtsbote Test CA", KeySpec.ec("P-256"))
                .add("dmda-a", "dmda-a.de-mail.de", CertificateProfile.PROVIDER, KeySpec.ec("P-256"))
                .add("dmda-b", "dmda-b.de-mail.de", CertificateProfile.PROVIDER, KeySpec.ec("P-256"))
                .addTls("provider-tls", "localhost", CertificateProfile.TLS_SERVER, KeySpec.ec("P-256"), "localhost")
                .add("erika", "Erika Mustermann", CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ecDefault(), ERIKA),
                Clock.systemUTC());
        ocsp = RevocationResponder.start(pki.authority(), Clock.systemUTC());
        vault = TestVault.createIn(dir);
        Path gatewayTlsCertificate = dir.resolve("pki/gateway-tls.pem");
        try (KeyVault keys = vault.open()) {
            TestVault.certifyEvidenceKey(keys, pki.authority(), ocsp.ocspUrl());
            Pem.writeCertificates(gatewayTlsCertificate, certify(keys, keys.generate("gateway", KeyPurpose.TLS,
                    KeySpec.ec("P-256")), CertificateProfile.TLS_CLIENT, "Amtsbote Gateway", List.of()));
            for (String[] own : List.of(new String[] {BAD_VILBEL, BAD_VILBEL_ADDRESS},
                    new String[] {VIERNHEIM, VIERNHEIM_ADDRESS})) {
                certify(keys, keys.generate(own[0], KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1")),
                        CertificateProfile.SIGNING, own[0], List.of(own[1]));
                List<X509Certificate> encryption = certify(keys, keys.generate(own[0], KeyPurpose.ENCRYPTION,
                        KeySpec.rsaDefault()), CertificateProfile.ENCRYPTION, own[0], List.of(own[1]));
                Pem.writeCertificates(dir.resolve("pki/" + own[0] + "-encryption.pem"), encryption);
            }
        }
        ownEncryptionCertificate = dir.resolve("pki/" + BAD_VILBEL + "-encryption.pem");
        Files.createDirectories(dir.resolve("spool"));
        Files.writeString(dir.resolve("keys/imap.secret"), ACCOUNT_PASSWORD);

        ProviderConfig a = provider("dmda-a").domain("bad-vilbel.de-mail.de").domain("viernheim.de-mail.de")
                .account(AccountConfig.builder("amtsbote").holder("Amtsbote der Städte Bad Vilbel und Viernheim")
                        .publicBody(true).clientCertificate(gatewayTlsCertificate).password(ACCOUNT_PASSWORD)
                        .address(BAD_VILBEL_ADDRESS).address(VIERNHEIM_ADDRESS).build())
                .build();
        ProviderConfig b = provider("dmda-b").domain("kreis-bergstrasse.de-mail.de")
                .mailbox(MailboxConfig.builder(KREIS).holder("Kreisverwaltung Bergstraße").password("kreis")
                        .publicBody(true).secureLogin(SecureLoginTimer.parse("never")).build())
                .mailbox(MailboxConfig.builder(ERIKA).holder("Erika Mustermann").password("erika")
                        .secureLogin(SecureLoginTimer.parse("never"))
                        .encryption(pki.certificateFile("erika"), pki.keyFile("erika")).build())
                .mailbox(MailboxConfig.builder(CLOSED).holder("Altes Konto").password("alt").closed(true).build())
                .build();
        demail = DeMailProviders.start(DeMailConfig.builder(dir.resolve("demail")).provider(a).provider(b)
                .trustAnchors(pki.anchorFile()).build());
    }

    private ProviderConfig.Builder provider(String name) {
        return ProviderConfig.builder(name, name + ".de-mail.de").smtpPort(0).imapPort(0)
                .signing(pki.certificateFile(name), pki.keyFile(name))
                .tls(pki.certificateFile("provider-tls"), pki.keyFile("provider-tls"))
                .clientCa(pki.anchorFile());
    }

    private List<X509Certificate> certify(KeyVault keys, KeyRef key, CertificateProfile profile, String name,
                                          List<String> emails) throws Exception {
        return TestVault.certify(keys, key, pki.authority(), ocsp.ocspUrl(), profile,
                new CsrSubject(name, "Amtsbote Test", emails));
    }

    DeMailProvider ours() {
        return demail.provider("dmda-a");
    }

    /** The gateway's configuration for this world. */
    Map<String, String> gatewayProperties() {
        Map<String, String> p = new LinkedHashMap<>(vault.properties());
        p.put("amtsbote.crypto.trust-anchors[0]", pki.anchorFile().toString());
        p.put("amtsbote.crypto.revocation.ocsp-responder", ocsp.ocspUrl().toString());
        participant(p, 0, BAD_VILBEL, true, true, BAD_VILBEL_ADDRESS);
        participant(p, 1, VIERNHEIM, true, false, VIERNHEIM_ADDRESS);
        participant(p, 2, "kreis-bergstrasse", false, true, KREIS);
        participant(p, 3, "erika-mustermann", false, false, ERIKA);
        p.put("amtsbote.participants[3].certificates.demail", pki.certificateFile("erika").toString());
        String channel = "amtsbote.channels.demail.";
        p.put(channel + "submission.host", "localhost");
        p.put(channel + "submission.port", Integer.toString(ours().smtpPort()));
        p.put(channel + "submission.trust-pem", pki.anchorFile().toString());
        p.put(channel + "submission.timeout", "5s");
        p.put(channel + "submission.connect-timeout", "2s");
        p.put(channel + "provider-trust-pem", pki.anchorFile().toString());
        p.put(channel + "spool-dir", dir.resolve("spool").toString());
        for (String[] box : List.of(new String[] {"bad-vilbel", BAD_VILBEL_ADDRESS},
                new String[] {"viernheim", VIERNHEIM_ADDRESS})) {
            String imap = channel + "imap." + box[0] + ".";
            p.put(imap + "host", "127.0.0.1");
            p.put(imap + "port", Integer.toString(ours().imapPort()));
            p.put(imap + "tls", "none");
            p.put(imap + "user", box[1]);
            p.put(imap + "password-file", dir.resolve("keys/imap.secret").toString());
            p.put(imap + "address", box[1]);
            p.put(imap + "idle", "false");
        }
        return p;
    }

    private static void participant(Map<String, String> p, int i, String id, boolean own, boolean publicBody,
                                    String address) {
        String prefix = "amtsbote.participants[" + i + "].";
        p.put(prefix + "id", id);
        p.put(prefix + "own", Boolean.toString(own));
        p.put(prefix + "public-body", Boolean.toString(publicBody));
        p.put(prefix + "addresses[0]", "demail:" + address);
    }

    @Override
    public void close() {
        demail.close();
        ocsp.close();
    }

    /** Starts a world in {@code dir}, for a test class's static field. */
    static DeMailWorld startIn(Path dir) {
        try {
            return new DeMailWorld(dir);
        } catch (Exception e) {
            throw new IllegalStateException("the De-Mail world did not start: " + e.getMessage(), e);
        }
    }
}
