package de.amtsbote.cli;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyInfo;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyState;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.PkiPlan;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.sandbox.mail.MailPeerConfig;
import de.amtsbote.sandbox.mail.MailPeerEndpoint;
import de.amtsbote.sandbox.mail.MailPeers;
import de.amtsbote.sandbox.mail.MailPeersConfig;
import de.amtsbote.sandbox.mail.ReceiptMode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The S/MIME part of the demo: a demo PKI (CA with an OCSP responder on loopback, certificates for the sandbox's mail
 * authority and citizen), the gateway's key store with certified keys for its own participants and its evidence key,
 * and the sandbox mail peers on SubEthaSMTP and GreenMail. Everything is generated at the first start under
 * {@code data/demo/} and reused afterwards; nothing of it is committed anywhere. The load benchmark
 * ({@code ./amtsbote bench load}) prepares its installations with it too.
 */
public final class DemoMail implements AutoCloseable {

    /** A participant the gateway serves, with its S/MIME address. */
    record Own(String id, String name, String address) {
    }

    /** An outside party the sandbox plays. */
    record Peer(String id, String name, String address, String pkiName, KeySpec key, ReceiptMode receipts,
                String password) {
    }

    static final List<Own> OWN = List.of(
            new Own("stadt-bad-vilbel", "Magistrat der Stadt Bad Vilbel", "poststelle@bad-vilbel.example"),
            new Own("stadt-viernheim", "Stadt Viernheim", "poststelle@viernheim.example"));
    static final List<Peer> PEERS = List.of(
            new Peer("kreis-bergstrasse", "Kreisverwaltung Bergstraße", "poststelle@kreis-bergstrasse.example",
                    "kreis-bergstrasse", KeySpec.rsaDefault(), ReceiptMode.after(Duration.ofSeconds(15)), "kreis"),
            new Peer("erika-mustermann", "Erika Mustermann", "erika.mustermann@example.org", "erika-mustermann",
                    KeySpec.ecDefault(), ReceiptMode.atOnce(), "erika"));

    public final GeneratedPki pki;
    public final RevocationResponder ocsp;
    final Path vaultFile;
    final Path vaultSecret;
    final Map<String, Path> encryptionCertificates = new LinkedHashMap<>();
    /** Each own participant's SIGNING certificate chain (beBPo lists it as the mailbox's signature and origin). */
    final Map<String, Path> signingCertificates = new LinkedHashMap<>();
    final Path evidenceCertificate;
    public final int gatewaySmtpPort;
    public final MailPeers peers;

    private DemoMail(GeneratedPki pki, RevocationResponder ocsp, Path vaultFile, Path vaultSecret,
                     Path evidenceCertificate, int gatewaySmtpPort, MailPeers peers) {
        this.pki = pki;
        this.ocsp = ocsp;
        this.vaultFile = vaultFile;
        this.vaultSecret = vaultSecret;
        this.evidenceCertificate = evidenceCertificate;
        this.gatewaySmtpPort = gatewaySmtpPort;
        this.peers = peers;
    }

    /**
     * Generates (first start) or loads the PKI and the key store, starts the OCSP responder and the mail peers. The
     * key store is closed again before the gateway opens it.
     */
    public static DemoMail start(Path demo, PkiPlan plan, int ocspPort, int smtpPort, int imapPort, int gatewaySmtpPort)
            throws IOException, GeneralSecurityException, de.amtsbote.crypto.CryptoException {
        Path pkiDir = demo.resolve("pki");
        GeneratedPki pki = GeneratedPki.generateOrLoad(pkiDir, plan, Clock.systemUTC());
        RevocationResponder ocsp = RevocationResponder.start(pki.authority(), Clock.systemUTC(), ocspPort);

        Path vaultFile = demo.resolve("keys/participants.p12");
        Path vaultSecret = demo.resolve("keys/participants.secret");
        Files.createDirectories(vaultFile.getParent());
        if (!Files.exists(vaultSecret)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.writeString(vaultSecret, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            ownerOnly(vaultSecret);
        }
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        Map<String, Path> encryption = new LinkedHashMap<>();
        Map<String, Path> signing = new LinkedHashMap<>();
        Path evidence = pkiDir.resolve("evidence.pem");
        try (KeyVault vault = Files.exists(vaultFile)
                ? Pkcs12KeyVault.open(vaultFile, SecretSource.file(vaultSecret), policy, Clock.systemUTC())
                : Pkcs12KeyVault.create(vaultFile, SecretSource.file(vaultSecret), policy, Clock.systemUTC())) {
            for (Own own : OWN) {
                Path signingFile = pkiDir.resolve(own.id() + "-signing.pem");
                Pem.writeCertificates(signingFile, ensureKey(vault, pki, ocsp, own.id(), own.name(), own.address(),
                        KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1"), CertificateProfile.SIGNING));
                signing.put(own.id(), signingFile);
                List<X509Certificate> chain = ensureKey(vault, pki, ocsp, own.id(), own.name(), own.address(),
                        KeyPurpose.ENCRYPTION, KeySpec.rsaDefault(), CertificateProfile.ENCRYPTION);
                Path file = pkiDir.resolve(own.id() + "-encryption.pem");
                Pem.writeCertificates(file, chain);
                encryption.put(own.id(), file);
            }
            Pem.writeCertificates(evidence, ensureKey(vault, pki, ocsp, Crypto.GATEWAY, "Amtsbote Demo Evidence", null,
                    KeyPurpose.EVIDENCE, KeySpec.ec("P-256"), CertificateProfile.EVIDENCE));
        }

        int gatewaySmtp = gatewaySmtpPort;
        MailPeersConfig.Builder config = MailPeersConfig.builder(demo.resolve("peers/mail")).smtpPort(smtpPort)
                .imapPort(imapPort).gatewaySmtp("127.0.0.1", gatewaySmtp).trustAnchors(pki.anchorFile());
        for (Peer p : PEERS) {
            config.peer(MailPeerConfig.builder(p.address()).name(p.name()).password(p.password())
                    .certificate(pki.certificateFile(p.pkiName())).key(pki.keyFile(p.pkiName()))
                    .receipts(p.receipts()).essReceipts(true).build());
        }
        MailPeers peers = MailPeers.start(config.build());
        DemoMail mail = new DemoMail(pki, ocsp, vaultFile, vaultSecret, evidence, gatewaySmtp, peers);
        mail.encryptionCertificates.putAll(encryption);
        mail.signingCertificates.putAll(signing);
        return mail;
    }

    /** The demo PKI's plan for the S/MIME peers; other parts of the demo add their entries to it. */
    public static PkiPlan plan() {
        PkiPlan plan = new PkiPlan("Amtsbote Demo CA", KeySpec.ec("P-256"));
        PEERS.forEach(p -> plan.add(p.pkiName(), p.name(), CertificateProfile.SIGNING_AND_ENCRYPTION, p.key(),
                p.address()));
        return plan;
    }

    /** Opens the gateway's key store; the gateway must not have it open at the same time. */
    KeyVault openVault() throws de.amtsbote.crypto.CryptoException {
        return Pkcs12KeyVault.open(vaultFile, SecretSource.file(vaultSecret), AlgorithmPolicy.bsi(), Clock.systemUTC());
    }

    /** The key of a purpose, generated and certified by the demo CA unless the store has an active one already. */
    static List<X509Certificate> ensureKey(KeyVault vault, GeneratedPki pki, RevocationResponder ocsp,
                                                   String owner, String name, String email, KeyPurpose purpose,
                                                   KeySpec spec, CertificateProfile profile)
            throws de.amtsbote.crypto.CryptoException, IOException, GeneralSecurityException {
        for (KeyInfo k : vault.list()) {
            if (k.ref().owner().equals(owner) && k.ref().purpose() == purpose && k.state() == KeyState.ACTIVE) {
                return purpose == KeyPurpose.ENCRYPTION ? vault.decryptionKeys(owner).get(0).chain()
                        : vault.signingKey(owner, purpose).chain();
            }
        }
        KeyRef key = vault.generate(owner, purpose, spec);
        String csr = vault.csr(key, new CsrSubject("Amtsbote Demo", name, email == null ? List.of() : List.of(email)));
        IssueRequest request = IssueRequest.named(name).profile(profile).ocsp(ocsp.ocspUrl());
        if (email != null) {
            request.email(email);
        }
        List<X509Certificate> chain = pki.authority().certify(Pem.readCsr(new StringReader(csr)), request).chain();
        vault.importCertificate(key, chain);
        return chain;
    }

    /** The gateway's settings for the key store, trust, revocation and the S/MIME channel. */
    public Map<String, String> gatewaySettings() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("amtsbote.crypto.key-store.type", "pkcs12");
        c.put("amtsbote.crypto.key-store.file", vaultFile.toString());
        c.put("amtsbote.crypto.key-store.password-file", vaultSecret.toString());
        c.put("amtsbote.crypto.trust-anchors[0]", pki.anchorFile().toString());
        // the demo certificates of the sandbox name no responder; the demo CA answers for all of them here
        c.put("amtsbote.crypto.revocation.ocsp-responder", ocsp.ocspUrl().toString());
        c.put("amtsbote.channels.smime.relay.host", "127.0.0.1");
        c.put("amtsbote.channels.smime.relay.port", Integer.toString(peers.smtpPort()));
        c.put("amtsbote.channels.smime.relay.tls", "none");
        c.put("amtsbote.channels.smime.listen.port", Integer.toString(gatewaySmtpPort));
        return c;
    }

    /** The sandbox peers for endpoints.json, in the form CONTRACT.md shows. */
    List<Map<String, Object>> peerEntries() {
        List<Map<String, Object>> entries = new java.util.ArrayList<>();
        for (MailPeerEndpoint e : peers.endpoints()) {
            Peer p = PEERS.stream().filter(x -> x.address().equalsIgnoreCase(e.address())).findFirst().orElseThrow();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", "smime");
            m.put("address", "smime:" + e.address());
            m.put("participant", p.id());
            m.put("name", e.name());
            m.put("imap", "127.0.0.1:" + peers.imapPort());
            m.put("user", e.address());
            m.put("password", e.password());
            m.put("cert", e.certificate());
            m.put("key", pki.keyFile(p.pkiName()).toString());
            m.put("receipts", e.receipts());
            m.put("log", e.log());
            entries.add(m);
        }
        return entries;
    }

    /** The certificate chain (PEM) of an own participant's encryption key, as partners encrypt for it. */
    public Path encryptionCertificate(String participant) {
        return encryptionCertificates.get(participant);
    }

    @Override
    public void close() {
        peers.close();
        ocsp.close();
    }

    static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's ACLs apply
        }
    }
}
