package de.amtsbote.cli;

import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.PkiPlan;
import de.amtsbote.sandbox.osci.AckMode;
import de.amtsbote.sandbox.osci.IntermediaryConfig;
import de.amtsbote.sandbox.osci.OsciConfig;
import de.amtsbote.sandbox.osci.OsciIntermediaries;
import de.amtsbote.sandbox.osci.OsciMailboxConfig;
import de.amtsbote.sandbox.osci.OsciPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The beBPo part of the demo: the sandbox OSCI intermediary {@code justiz} with its SAFE-like directory in this
 * process, on one HTTP port. The directory lists the beBPo mailboxes (besondere elektronische Behördenpostfächer) of
 * Bad Vilbel and Viernheim, which the gateway empties itself — their signature and origin certificate is the
 * participant's SIGNING certificate and their encryption certificate its ENCRYPTION certificate, both from the
 * gateway's key store — and two mailboxes the sandbox plays: the Amtsgericht Bad Vilbel (a court, no beBPo, which
 * acknowledges 15 s after it fetched) and the Kreisverwaltung Bergstraße (a beBPo with an origin certificate, which
 * acknowledges at once). The played mailboxes fetch every two seconds on their own. The intermediary's and the peers'
 * keys come from the demo PKI (generated at the first start under {@code data/demo/}, reused afterwards); stored
 * deliveries, reservations and process cards live in memory and start empty each time.
 */
final class DemoBebpo implements AutoCloseable {

    /** A participant the gateway serves, with its beBPo mailbox; {@code name} keys the gateway's mailbox settings. */
    record Own(String id, String holder, String mailbox, String name) {
    }

    /** A mailbox the sandbox plays; {@code origin}: a beBPo with its own origin (VHN) certificate. */
    record Peer(String id, String holder, String mailbox, boolean origin, String acknowledge, String pkiName) {

        String address() {
            return "bebpo:" + mailbox;
        }
    }

    static final String INTERMEDIARY = "justiz";
    static final List<Own> OWN = List.of(
            new Own("stadt-bad-vilbel", "Magistrat der Stadt Bad Vilbel",
                    "DE.BehoerdeBPo.026abdec-902c-43ba-bd34-fac16c03919d", "bad-vilbel"),
            new Own("stadt-viernheim", "Stadt Viernheim",
                    "DE.BehoerdeBPo.d6a80739-eda2-4871-a4be-f3985a831fd8", "viernheim"));
    static final Peer COURT = new Peer("amtsgericht-bad-vilbel", "Amtsgericht Bad Vilbel",
            "DE.Justiz.cb169d75-761a-40e6-b824-9cbdfa8a7600", false, "after:15s", "bebpo-amtsgericht");
    static final Peer KREIS = new Peer("kreis-bergstrasse", "Kreisverwaltung Bergstraße",
            "DE.BehoerdeBPo.5e08c9c6-0ec2-44f8-92cc-b5af14d27ec1", true, "at-once", "bebpo-kreis");
    static final List<Peer> PEERS = List.of(COURT, KREIS);
    /** How often the played mailboxes fetch, so that the demo needs no trigger. */
    static final Duration POLL = Duration.ofSeconds(2);

    private static final String INTERMEDIARY_PKI = "bebpo-justiz";

    final GeneratedPki pki;
    final Path spoolDir;
    final OsciIntermediaries osci;

    private DemoBebpo(GeneratedPki pki, Path spoolDir, OsciIntermediaries osci) {
        this.pki = pki;
        this.spoolDir = spoolDir;
        this.osci = osci;
    }

    /** Adds the intermediary's certificate and the played mailboxes' encryption, signature and origin certificates. */
    static PkiPlan addTo(PkiPlan plan) {
        plan.add(INTERMEDIARY_PKI, "Intermediär Justiz (Demo)", CertificateProfile.INTERMEDIARY, KeySpec.ec("P-256"));
        for (Peer p : PEERS) {
            plan.add(p.pkiName() + "-encryption", p.holder(), CertificateProfile.ENCRYPTION, KeySpec.rsaDefault());
            plan.add(p.pkiName() + "-signature", p.holder(), CertificateProfile.SIGNING, KeySpec.ec("P-256"));
            if (p.origin()) {
                plan.add(p.pkiName() + "-origin", p.holder() + " (VHN)", CertificateProfile.SIGNING,
                        KeySpec.ec("P-256"));
            }
        }
        return plan;
    }

    /**
     * Starts the intermediary, its directory and the played mailboxes on {@code port} (0: a free one). The own
     * participants' certificates are those {@link DemoMail} wrote from the gateway's key store.
     */
    static DemoBebpo start(Path demo, DemoMail mail, int port) throws IOException {
        GeneratedPki pki = mail.pki;
        Path spool = Files.createDirectories(demo.resolve("spool/bebpo"));
        OsciConfig.Builder config = OsciConfig.builder(demo.resolve("peers/bebpo")).pkiDir(null).httpPort(port)
                .trustAnchors(pki.anchorFile()).pollInterval(POLL)
                .intermediary(IntermediaryConfig.of(INTERMEDIARY, pki.certificateFile(INTERMEDIARY_PKI),
                        pki.keyFile(INTERMEDIARY_PKI)));
        for (Own own : OWN) {
            Path signing = mail.signingCertificates.get(own.id());
            // the adapter signs requests and the origin signature with the participant's SIGNING key
            config.mailbox(OsciMailboxConfig.external(own.mailbox(), INTERMEDIARY).name(own.holder())
                    .encryption(mail.encryptionCertificates.get(own.id()), null).signature(signing, null)
                    .origin(signing, null).build());
        }
        for (Peer p : PEERS) {
            OsciMailboxConfig.Builder box = OsciMailboxConfig.played(p.mailbox(), INTERMEDIARY).name(p.holder())
                    .acknowledge(AckMode.parse(p.acknowledge()))
                    .encryption(pki.certificateFile(p.pkiName() + "-encryption"),
                            pki.keyFile(p.pkiName() + "-encryption"))
                    .signature(pki.certificateFile(p.pkiName() + "-signature"),
                            pki.keyFile(p.pkiName() + "-signature"));
            if (p.origin()) {
                box.origin(pki.certificateFile(p.pkiName() + "-origin"), pki.keyFile(p.pkiName() + "-origin"));
            }
            config.mailbox(box.build());
        }
        return new DemoBebpo(pki, spool, OsciIntermediaries.start(config.build()));
    }

    static Own own(String participant) {
        return OWN.stream().filter(o -> o.id().equals(participant)).findFirst().orElseThrow();
    }

    static String address(String participant) {
        return "bebpo:" + own(participant).mailbox();
    }

    OsciPeer mailbox(Peer peer) {
        return osci.mailbox(peer.mailbox());
    }

    String intermediaryUrl() {
        return osci.intermediary(INTERMEDIARY).url().toString();
    }

    String directoryUrl() {
        return osci.directoryUri().toString();
    }

    /** POST here and the played mailbox fetches now (it also does every two seconds). */
    String fetchUrl(Peer peer) {
        return osci.baseUri() + "/osci/mailboxes/" + peer.mailbox() + "/fetch";
    }

    Path intermediaryLog() {
        return osci.intermediary(INTERMEDIARY).logFile();
    }

    /** The gateway's settings for the beBPo channel, as {@code BebpoWorld} in the gateway's tests has them. */
    Map<String, String> gatewaySettings() {
        Map<String, String> c = new LinkedHashMap<>();
        String channel = "amtsbote.channels.bebpo.";
        c.put(channel + "directory-url", directoryUrl());
        c.put(channel + "spool-dir", spoolDir.toString());
        c.put(channel + "process-card.interval", "2s");
        for (Own own : OWN) {
            c.put(channel + "mailbox." + own.name() + ".id", own.mailbox());
            c.put(channel + "mailbox." + own.name() + ".participant", own.id());
        }
        return c;
    }

    /** The played mailboxes for endpoints.json. */
    List<Map<String, Object>> peerEntries() {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Peer p : PEERS) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", "bebpo");
            m.put("address", p.address());
            m.put("participant", p.id());
            m.put("name", p.holder());
            m.put("bebpo", p.origin());
            m.put("intermediary", intermediaryUrl());
            m.put("directory", directoryUrl());
            m.put("entry", directoryUrl() + "/mailboxes/" + p.mailbox());
            m.put("fetch", fetchUrl(p));
            m.put("acknowledge", p.acknowledge());
            m.put("cert", pki.certificateFile(p.pkiName() + "-encryption").toString());
            m.put("key", pki.keyFile(p.pkiName() + "-encryption").toString());
            m.put("signatureCert", pki.certificateFile(p.pkiName() + "-signature").toString());
            if (p.origin()) {
                m.put("originCert", pki.certificateFile(p.pkiName() + "-origin").toString());
            }
            m.put("log", mailbox(p).logFile().toString());
            entries.add(m);
        }
        return entries;
    }

    /** The intermediary and the directory for endpoints.json. */
    Map<String, Object> endpoints() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("intermediary", intermediaryUrl());
        e.put("name", INTERMEDIARY);
        e.put("certificate", pki.certificateFile(INTERMEDIARY_PKI).toString());
        e.put("directory", directoryUrl());
        e.put("log", intermediaryLog().toString());
        e.put("mailboxes", OWN.stream().map(o -> Map.of("participant", o.id(), "address", "bebpo:" + o.mailbox()))
                .toList());
        return e;
    }

    @Override
    public void close() {
        osci.close();
    }
}
