package de.amtsbote.gateway.bebpo;

import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.pki.PkiPlan;
import de.amtsbote.crypto.pki.RevocationResponder;
import de.amtsbote.gateway.testing.TestVault;
import de.amtsbote.sandbox.osci.AckMode;
import de.amtsbote.sandbox.osci.IntermediaryConfig;
import de.amtsbote.sandbox.osci.OsciConfig;
import de.amtsbote.sandbox.osci.OsciIntermediaries;
import de.amtsbote.sandbox.osci.OsciMailboxConfig;
import de.amtsbote.sandbox.osci.OsciPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything around a gateway with the beBPo channel, built for real at test time: one CA with an OCSP responder on
 * loopback for all certificates, the gateway's key store with Bad Vilbel's signing and encryption keys, and the
 * sandbox OSCI intermediary "justiz" with its directory: Bad Vilbel's beBPo mailbox (fetched by the gateway), a
 * court's mailbox and a district authority's beBPo mailbox, both played by the sandbox. The court only fetches and
 * acknowledges when the test says so, so every step of the process card can be watched.
 */
final class BebpoWorld implements AutoCloseable {

    static final String BAD_VILBEL = "stadt-bad-vilbel";
    static final String BAD_VILBEL_MAILBOX = "DE.BehoerdeBPo.7c3e0a55-2d1f-4f7e-9a51-3b2a6c8d0e11";
    static final String COURT = "DE.Justiz.5c1c2c4e-9f1e-4c5b-9d3a-0e4c1b2a7f60";
    static final String KREIS = "DE.BehoerdeBPo.0b9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f";

    final Path dir;
    final GeneratedPki pki;
    final RevocationResponder ocsp;
    final TestVault vault;
    final OsciIntermediaries osci;

    BebpoWorld(Path dir, long maxBytes) throws Exception {
        this.dir = dir;
        pki = GeneratedPki.generateOrLoad(dir.resolve("pki"), new PkiPlan("Amtsbote Test CA", KeySpec.ec("P-256"))
                .add("justiz", "Intermediär Justiz", CertificateProfile.INTERMEDIARY, KeySpec.ec("P-256"))
                .add("court-encryption", "Amtsgericht Musterstadt", CertificateProfile.ENCRYPTION, KeySpec.rsaDefault())
                .add("court-signature", "Amtsgericht Musterstadt", CertificateProfile.SIGNING, KeySpec.ec("P-256"))
                .add("kreis-encryption", "Kreisverwaltung Bergstraße", CertificateProfile.ENCRYPTION, KeySpec.ecDefault())
                .add("kreis-signature", "Kreisverwaltung Bergstraße", CertificateProfile.SIGNING, KeySpec.ec("P-256"))
                .add("kreis-origin", "Kreisverwaltung Bergstraße (VHN)", CertificateProfile.SIGNING, KeySpec.ec("P-256")),
                Clock.systemUTC());
        ocsp = RevocationResponder.start(pki.authority(), Clock.systemUTC());
        vault = TestVault.createIn(dir);
        Path signing = dir.resolve("pki/bad-vilbel-signing.pem");
        Path encryption = dir.resolve("pki/bad-vilbel-encryption.pem");
        try (KeyVault keys = vault.open()) {
            TestVault.certifyEvidenceKey(keys, pki.authority(), ocsp.ocspUrl());
            CsrSubject subject = new CsrSubject("Magistrat der Stadt Bad Vilbel", "beBPo Stadt Bad Vilbel", List.of());
            Pem.writeCertificates(signing, TestVault.certify(keys, keys.generate(BAD_VILBEL, KeyPurpose.SIGNING,
                    KeySpec.ec("brainpoolP256r1")), pki.authority(), ocsp.ocspUrl(), CertificateProfile.SIGNING, subject));
            Pem.writeCertificates(encryption, TestVault.certify(keys, keys.generate(BAD_VILBEL, KeyPurpose.ENCRYPTION,
                    KeySpec.rsaDefault()), pki.authority(), ocsp.ocspUrl(), CertificateProfile.ENCRYPTION, subject));
        }
        Files.createDirectories(dir.resolve("spool"));
        osci = OsciIntermediaries.start(OsciConfig.builder(dir.resolve("osci")).httpPort(0)
                .trustAnchors(pki.anchorFile()).pollInterval(Duration.ZERO)
                .intermediary(IntermediaryConfig.of("justiz", pki.certificateFile("justiz"), pki.keyFile("justiz"))
                        .maxBytes(maxBytes))
                .mailbox(OsciMailboxConfig.external(BAD_VILBEL_MAILBOX, "justiz").name("Stadt Bad Vilbel").bebpo(true)
                        .encryption(encryption, null).signature(signing, null).origin(signing, null).build())
                .mailbox(OsciMailboxConfig.played(COURT, "justiz").name("Amtsgericht Musterstadt")
                        .acknowledge(AckMode.NEVER)
                        .encryption(pki.certificateFile("court-encryption"), pki.keyFile("court-encryption"))
                        .signature(pki.certificateFile("court-signature"), pki.keyFile("court-signature")).build())
                .mailbox(OsciMailboxConfig.played(KREIS, "justiz").name("Kreisverwaltung Bergstraße").bebpo(true)
                        .acknowledge(AckMode.AT_ONCE)
                        .encryption(pki.certificateFile("kreis-encryption"), pki.keyFile("kreis-encryption"))
                        .signature(pki.certificateFile("kreis-signature"), pki.keyFile("kreis-signature"))
                        .origin(pki.certificateFile("kreis-origin"), pki.keyFile("kreis-origin")).build())
                .build());
    }

    OsciPeer court() {
        return osci.mailbox(COURT);
    }

    OsciPeer kreis() {
        return osci.mailbox(KREIS);
    }

    /** The gateway's configuration for this world. */
    Map<String, String> gatewayProperties() {
        Map<String, String> p = new LinkedHashMap<>(vault.properties());
        p.put("amtsbote.crypto.trust-anchors[0]", pki.anchorFile().toString());
        p.put("amtsbote.crypto.revocation.ocsp-responder", ocsp.ocspUrl().toString());
        p.put("amtsbote.participants[0].id", BAD_VILBEL);
        p.put("amtsbote.participants[0].own", "true");
        p.put("amtsbote.participants[0].public-body", "true");
        p.put("amtsbote.participants[0].addresses[0]", "bebpo:" + BAD_VILBEL_MAILBOX);
        p.put("amtsbote.participants[1].id", "amtsgericht-musterstadt");
        p.put("amtsbote.participants[1].addresses[0]", "bebpo:" + COURT);
        p.put("amtsbote.participants[2].id", "kreis-bergstrasse");
        p.put("amtsbote.participants[2].addresses[0]", "bebpo:" + KREIS);
        String channel = "amtsbote.channels.bebpo.";
        p.put(channel + "directory-url", osci.directoryUri().toString());
        p.put(channel + "spool-dir", dir.resolve("spool").toString());
        p.put(channel + "receive-timeout", "60s");
        p.put(channel + "process-card.interval", "300ms");
        p.put(channel + "mailbox.bad-vilbel.id", BAD_VILBEL_MAILBOX);
        p.put(channel + "mailbox.bad-vilbel.participant", BAD_VILBEL);
        return p;
    }

    @Override
    public void close() {
        osci.close();
        ocsp.close();
    }

    /** Starts a world in {@code dir}, for a test class's static field. */
    static BebpoWorld startIn(Path dir, long maxBytes) {
        try {
            return new BebpoWorld(dir, maxBytes);
        } catch (Exception e) {
            throw new IllegalStateException("the beBPo world did not start: " + e.getMessage(), e);
        }
    }
}
