package de.amtsbote.bench.load;

import de.amtsbote.cli.ClientTokenCommand;
import de.amtsbote.cli.DemoMail;
import de.amtsbote.crypto.content.ContentKeyRing;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A demo-like installation for the load run, prepared the way {@code ./amtsbote demo} prepares its own (through
 * {@link DemoMail}): a demo CA with its OCSP responder on loopback, the gateway's PKCS#12 key store with certified
 * signing, encryption and evidence keys, the sandbox mail peers (SMTP and IMAP on loopback, answering with signed MDNs
 * at once), the sandbox loopback peer, and bearer tokens for a client system and for monitoring. The sandbox peers run
 * in the benchmark's JVM, on the same cores as the gateway.
 *
 * <p>Two channels are measured: {@code loopback} (plain HTTP, neither signed nor encrypted: the gateway's own
 * overhead) and {@code smime} (signed, then encrypted for the recipient's certificate, validated with OCSP; the peer
 * opens and verifies each mail and answers with a signed MDN, which the gateway verifies and turns into DELIVERED).
 */
final class Installation implements AutoCloseable {

    static final String SENDER = "stadt-bad-vilbel";
    /** The loopback peer's domain and mailbox: the Kreisverwaltung, as in the demo. */
    static final String PEER_DOMAIN = "sandbox.example";
    static final String LOOPBACK_RECIPIENT = "loopback:poststelle@" + PEER_DOMAIN;
    /** DemoMail's citizen peer: answers with a processed and then a displayed MDN at once. */
    static final String SMIME_RECIPIENT = "smime:erika.mustermann@example.org";

    final Path dir;
    final DemoMail mail;
    final LoopbackPeer peer;
    final String clientToken = ClientTokenCommand.newToken();
    final String monitoringToken = ClientTokenCommand.newToken();
    final double preparedSeconds;

    private Installation(Path dir, DemoMail mail, LoopbackPeer peer, double preparedSeconds) {
        this.dir = dir;
        this.mail = mail;
        this.peer = peer;
        this.preparedSeconds = preparedSeconds;
    }

    /**
     * Prepares the installation in {@code dir}. Its PKI and key store are kept there and reused by the next run, as
     * the demo reuses {@code data/demo/} (generating the RSA keys is most of the preparation), with the OCSP responder
     * on the port its certificates name (the sandbox peers ask there; the gateway is told); if that port is taken, the
     * PKI is made anew. The peers start afresh, so that nothing of an earlier run (a receipt still to send) reaches
     * this run's gateways.
     */
    static Installation prepare(Path dir, Path run, Cleanup cleanup) throws Exception {
        long t0 = System.nanoTime();
        LoopbackPeer peer = LoopbackPeer.builder(run.resolve("peers/loopback")).mailboxes("poststelle")
                .domain(PEER_DOMAIN).storeContent(false).build().start();
        cleanup.add("loopback peer", peer::close);
        Path portFile = dir.resolve("ocsp-port");
        int ocspPort = Files.isRegularFile(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : -1;
        if (ocspPort <= 0 || !free(ocspPort)) {
            deleteTree(dir);
            ocspPort = GatewayNode.freePort();
        }
        deleteTree(dir.resolve("peers"));
        DemoMail mail = DemoMail.start(dir, DemoMail.plan(), ocspPort, GatewayNode.freePort(),
                GatewayNode.freePort(), GatewayNode.freePort());
        cleanup.add("mail peers and OCSP responder", mail::close);
        Files.writeString(portFile, Integer.toString(ocspPort));
        return new Installation(dir, mail, peer, (System.nanoTime() - t0) / 1e9);
    }

    /** A content key shared by the nodes of one database, as on a shared file system. */
    static Path sharedContent(Path dir) throws IOException {
        ContentKeyRing.generate(dir.resolve("keys"), Clock.systemUTC());
        return dir;
    }

    /**
     * One node's settings.
     *
     * @param storage      the node's own directory (H2 database, and content unless {@code sharedContent} is set)
     * @param database     null for the embedded default (H2)
     * @param sharedContent content and content keys shared by the nodes of one PostgreSQL database, or null
     * @param workers      outbox workers; 0 makes a node that only serves the API
     * @param pollInterval how often an idle node looks for work nobody woke it for
     * @param smtpListen   the S/MIME channel's inbound listener (the mail peers answer to the main node's)
     */
    Map<String, String> nodeSettings(String nodeId, Path storage, PostgresDatabases.Database database,
                                     Path sharedContent, int workers, Duration pollInterval, int smtpListen) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("amtsbote.node-id", nodeId);
        c.put("amtsbote.storage.directory", storage.toAbsolutePath().toString());
        if (database != null) {
            c.put("spring.datasource.url", database.url());
            c.put("spring.datasource.username", database.user());
            c.put("spring.datasource.password", database.password());
        }
        if (sharedContent != null) {
            c.put("amtsbote.content.directory", sharedContent.resolve("content").toAbsolutePath().toString());
            c.put("amtsbote.content.keys-directory", sharedContent.resolve("keys").toAbsolutePath().toString());
        }
        c.put("amtsbote.participants[0].id", SENDER);
        c.put("amtsbote.participants[0].name", "Magistrat der Stadt Bad Vilbel");
        c.put("amtsbote.participants[0].own", "true");
        c.put("amtsbote.participants[0].public-body", "true");
        c.put("amtsbote.participants[0].addresses[0]", "smime:poststelle@bad-vilbel.example");
        c.put("amtsbote.participants[0].addresses[1]", "loopback:stadt-bad-vilbel@gateway");
        c.put("amtsbote.participants[1].id", "kreis-bergstrasse");
        c.put("amtsbote.participants[1].name", "Kreisverwaltung Bergstraße");
        c.put("amtsbote.participants[1].addresses[0]", LOOPBACK_RECIPIENT);
        c.put("amtsbote.participants[2].id", "erika-mustermann");
        c.put("amtsbote.participants[2].name", "Erika Mustermann");
        c.put("amtsbote.participants[2].addresses[0]", SMIME_RECIPIENT);
        c.put("amtsbote.participants[2].certificates.smime",
                mail.pki.certificateFile("erika-mustermann").toAbsolutePath().toString());
        c.putAll(mail.gatewaySettings());
        c.put("amtsbote.channels.smime.listen.port", Integer.toString(smtpListen));
        c.put("amtsbote.channels.loopback.endpoint", peer.baseUri().toString());
        c.put("amtsbote.channels.loopback.domain", PEER_DOMAIN);
        c.put("amtsbote.clients[0].id", "bench-fachverfahren");
        c.put("amtsbote.clients[0].token-sha256", ClientTokenCommand.digest(clientToken));
        c.put("amtsbote.clients[0].participants[0]", SENDER);
        c.put("amtsbote.clients[1].id", "bench-monitoring");
        c.put("amtsbote.clients[1].token-sha256", ClientTokenCommand.digest(monitoringToken));
        c.put("amtsbote.clients[1].roles[0]", "MONITORING");
        c.put("amtsbote.outbox.workers", Integer.toString(workers));
        c.put("amtsbote.outbox.poll-interval", pollInterval.toMillis() + "ms");
        return c;
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        peer.close();
        mail.close();
    }
}
