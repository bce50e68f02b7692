package de.amtsbote.cli;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.PkiPlan;
import de.amtsbote.sandbox.demail.AccountConfig;
import de.amtsbote.sandbox.demail.DeMailConfig;
import de.amtsbote.sandbox.demail.DeMailMailbox;
import de.amtsbote.sandbox.demail.DeMailProvider;
import de.amtsbote.sandbox.demail.DeMailProviders;
import de.amtsbote.sandbox.demail.MailboxConfig;
import de.amtsbote.sandbox.demail.ProviderConfig;
import de.amtsbote.sandbox.demail.SecureLoginTimer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The De-Mail part of the demo: two sandbox De-Mail providers (DMDAs, De-Mail-Diensteanbieter) in this process.
 * {@code dmda-a} holds the gateway's institutional account {@code amtsbote} (a public body) with the De-Mail addresses
 * of Bad Vilbel and Viernheim; the gateway logs in to its SMTPS submission with a TLS client key from its own key
 * store, certified by the demo CA. {@code dmda-b} serves the outside parties: the Kreisverwaltung Bergstraße (a public
 * body that logs in securely 15 s after each delivery, which issues the Abholbestätigung) and the citizen Erika
 * Mustermann (with an end-to-end certificate, logs in at once). Provider signing certificates, the providers' TLS
 * server certificate and Erika's certificate come from the demo PKI; everything is generated at the first start under
 * {@code data/demo/} and reused afterwards. The mailboxes themselves live in memory and start empty each time.
 */
final class DemoDeMail implements AutoCloseable {

    /** A participant the gateway serves, with its De-Mail address at dmda-a. */
    record Own(String id, String address, String imapName) {
    }

    /** An outside party at dmda-b. */
    record Peer(String id, String name, String address, boolean publicBody, String secureLogin, String password,
                String pkiName) {
    }

    static final String GATEWAY_PROVIDER = "dmda-a";
    static final String PEER_PROVIDER = "dmda-b";
    static final String ACCOUNT = "amtsbote";
    static final List<Own> OWN = List.of(
            new Own("stadt-bad-vilbel", "poststelle@bad-vilbel.de-mail.de", "bad-vilbel"),
            new Own("stadt-viernheim", "poststelle@viernheim.de-mail.de", "viernheim"));
    static final Peer KREIS = new Peer("kreis-bergstrasse", "Kreisverwaltung Bergstraße",
            "poststelle@kreis-bergstrasse.de-mail.de", true, "after:15s", "kreis", null);
    static final Peer ERIKA = new Peer("erika-mustermann", "Erika Mustermann", "erika.mustermann@dmda-b.de-mail.de",
            false, "at-once", "erika", "erika-demail");
    static final List<Peer> PEERS = List.of(KREIS, ERIKA);

    private static final String TLS = "demail-tls";

    final GeneratedPki pki;
    final Path gatewayTlsCertificate;
    final Path imapPasswordFile;
    final Path spoolDir;
    final DeMailProviders providers;

    private DemoDeMail(GeneratedPki pki, Path gatewayTlsCertificate, Path imapPasswordFile, Path spoolDir,
                       DeMailProviders providers) {
        this.pki = pki;
        this.gatewayTlsCertificate = gatewayTlsCertificate;
        this.imapPasswordFile = imapPasswordFile;
        this.spoolDir = spoolDir;
        this.providers = providers;
    }

    /** Adds the providers' signing certificates, their TLS server certificate and Erika's De-Mail certificate. */
    static PkiPlan addTo(PkiPlan plan) {
        for (String dmda : List.of(GATEWAY_PROVIDER, PEER_PROVIDER)) {
            // the contract wants CN = the DMDA domain, the d= of its integrity fields
            plan.add(dmda, dmda + ".de-mail.de", CertificateProfile.PROVIDER, KeySpec.ec("P-256"));
        }
        plan.addTls(TLS, "localhost", CertificateProfile.TLS_SERVER, KeySpec.ec("P-256"), "localhost");
        plan.add(ERIKA.pkiName(), ERIKA.name(), CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ecDefault(),
                ERIKA.address());
        return plan;
    }

    /**
     * Makes sure the gateway's key store has a certified TLS client key (owner {@code gateway}), then starts both
     * providers and their HTTP endpoint. Ports of 0 mean free ones.
     *
     * @param ports SMTPS and IMAP of dmda-a, SMTPS and IMAP of dmda-b, HTTP
     */
    static DemoDeMail start(Path demo, DemoMail mail, int... ports)
            throws IOException, GeneralSecurityException, de.amtsbote.crypto.CryptoException {
        if (ports.length != 5) {
            throw new IllegalArgumentException("the De-Mail sandbox needs five ports (SMTPS and IMAP of dmda-a and of "
                    + "dmda-b, HTTP), got " + ports.length);
        }
        GeneratedPki pki = mail.pki;
        Path tlsCertificate = pki.directory().resolve("gateway-tls.pem");
        try (KeyVault vault = mail.openVault()) {
            Pem.writeCertificates(tlsCertificate, DemoMail.ensureKey(vault, pki, mail.ocsp, Crypto.GATEWAY,
                    "Amtsbote Demo Gateway", null, KeyPurpose.TLS, KeySpec.ec("P-256"), CertificateProfile.TLS_CLIENT));
        }
        Path password = demo.resolve("keys/demail-imap.secret");
        if (!Files.exists(password)) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            Files.writeString(password, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            DemoMail.ownerOnly(password);
        }
        Path spool = demo.resolve("spool/demail");
        Files.createDirectories(spool);

        AccountConfig.Builder account = AccountConfig.builder(ACCOUNT)
                .holder("Amtsbote der Städte Bad Vilbel und Viernheim").publicBody(true)
                .clientCertificate(tlsCertificate).password(Files.readString(password).trim());
        ProviderConfig.Builder a = provider(pki, GATEWAY_PROVIDER, ports[0], ports[1]);
        for (Own own : OWN) {
            a.domain(domainOf(own.address()));
            account.address(own.address());
        }
        a.account(account.build());
        ProviderConfig.Builder b = provider(pki, PEER_PROVIDER, ports[2], ports[3]);
        for (Peer p : PEERS) {
            b.domain(domainOf(p.address()));
            MailboxConfig.Builder box = MailboxConfig.builder(p.address()).holder(p.name()).password(p.password())
                    .publicBody(p.publicBody()).secureLogin(SecureLoginTimer.parse(p.secureLogin()));
            if (p.pkiName() != null) {
                box.encryption(pki.certificateFile(p.pkiName()), pki.keyFile(p.pkiName()));
            }
            b.mailbox(box.build());
        }
        DeMailProviders providers = DeMailProviders.start(DeMailConfig.builder(demo.resolve("peers/demail"))
                .provider(a.build()).provider(b.build()).httpPort(ports[4]).trustAnchors(pki.anchorFile()).build());
        return new DemoDeMail(pki, tlsCertificate, password, spool, providers);
    }

    private static ProviderConfig.Builder provider(GeneratedPki pki, String name, int smtpPort, int imapPort) {
        return ProviderConfig.builder(name, name + ".de-mail.de").smtpPort(smtpPort).imapPort(imapPort)
                .signing(pki.certificateFile(name), pki.keyFile(name))
                .tls(pki.certificateFile(TLS), pki.keyFile(TLS)).clientCa(pki.anchorFile());
    }

    private static String domainOf(String address) {
        return address.substring(address.indexOf('@') + 1);
    }

    DeMailProvider gatewayProvider() {
        return providers.provider(GATEWAY_PROVIDER);
    }

    DeMailMailbox mailbox(Peer peer) {
        return providers.mailbox(peer.address());
    }

    String http() {
        return "http://127.0.0.1:" + providers.httpPort();
    }

    Path certificate(Peer peer) {
        return pki.certificateFile(peer.pkiName());
    }

    /** The gateway's settings for the De-Mail channel, as {@code DeMailWorld} in the gateway's tests has them. */
    Map<String, String> gatewaySettings() {
        Map<String, String> c = new LinkedHashMap<>();
        String channel = "amtsbote.channels.demail.";
        c.put(channel + "submission.host", "localhost"); // the name in the providers' TLS certificate
        c.put(channel + "submission.port", Integer.toString(gatewayProvider().smtpPort()));
        c.put(channel + "submission.trust-pem", pki.anchorFile().toString());
        c.put(channel + "provider-trust-pem", pki.anchorFile().toString());
        c.put(channel + "spool-dir", spoolDir.toString());
        for (Own own : OWN) {
            String imap = channel + "imap." + own.imapName() + ".";
            c.put(imap + "host", "127.0.0.1");
            c.put(imap + "port", Integer.toString(gatewayProvider().imapPort()));
            c.put(imap + "tls", "none"); // the sandbox's IMAP is plain on loopback
            c.put(imap + "user", own.address());
            c.put(imap + "password-file", imapPasswordFile.toString());
            c.put(imap + "address", own.address());
            c.put(imap + "idle", "false");
        }
        return c;
    }

    /** The outside parties for endpoints.json. */
    List<Map<String, Object>> peerEntries() {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Peer p : PEERS) {
            DeMailMailbox box = mailbox(p);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", "demail");
            m.put("address", "demail:" + p.address());
            m.put("participant", p.id());
            m.put("name", p.name());
            m.put("provider", PEER_PROVIDER);
            m.put("imap", "127.0.0.1:" + box.provider().imapPort());
            m.put("user", p.address());
            m.put("password", p.password());
            if (p.pkiName() != null) {
                m.put("cert", pki.certificateFile(p.pkiName()).toString());
                m.put("key", pki.keyFile(p.pkiName()).toString());
            }
            m.put("publicBody", p.publicBody());
            m.put("secureLoginTimer", p.secureLogin());
            m.put("secureLogin", http() + "/demail/mailboxes/" + p.address() + "/secure-login");
            m.put("messages", http() + "/demail/mailboxes/" + p.address() + "/messages");
            entries.add(m);
        }
        return entries;
    }

    /** The providers' endpoints for endpoints.json. */
    Map<String, Object> endpoints() {
        Map<String, Object> e = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (DeMailProvider p : providers.providers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("dmdaDomain", p.dmdaDomain());
            m.put("domains", p.config().domains().stream().sorted().toList());
            m.put("smtps", "127.0.0.1:" + p.smtpPort());
            m.put("imap", "127.0.0.1:" + p.imapPort());
            m.put("signingCert", pki.certificateFile(p.name()).toString());
            m.put("log", p.logFile().toString());
            list.add(m);
        }
        e.put("providers", list);
        e.put("http", http());
        e.put("log", http() + "/demail/log");
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("provider", GATEWAY_PROVIDER);
        account.put("id", ACCOUNT);
        account.put("addresses", OWN.stream().map(o -> "demail:" + o.address()).toList());
        account.put("tlsClientCert", gatewayTlsCertificate.toString());
        e.put("gatewayAccount", account);
        return e;
    }

    @Override
    public void close() {
        providers.close();
    }
}
