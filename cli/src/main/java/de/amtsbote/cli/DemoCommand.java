package de.amtsbote.cli;

import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.sandbox.loopback.OutgoingLetter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./amtsbote demo}: a complete installation on one machine. The gateway runs as its own process on the
 * embedded default under {@code data/demo/}, the sandbox peers run here, sample traffic goes over every channel
 * that exists, and {@code data/demo/endpoints.json} says where everything is. A second start reuses
 * {@code data/demo/}: the same database, keys and token.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the gateway with sandbox peers and sample traffic under data/demo/ until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    private static final String PEER_DOMAIN = "sandbox.example";
    /**
     * The sandbox peers check end-to-end certificates without revocation and warn about it at every start; the demo's
     * console is not the place for that (the gateway does check revocation, at the demo CA's OCSP responder). Kept in
     * a field: java.util.logging holds loggers weakly.
     */
    private static final java.util.logging.Logger SANDBOX_VALIDATOR =
            java.util.logging.Logger.getLogger("de.amtsbote.crypto.validation.PkixCertificateValidator");
    /** The OSCI sandbox's embedded Tomcat announces itself at INFO; only its warnings belong on the demo's console. */
    private static final List<java.util.logging.Logger> TOMCAT = List.of(
            java.util.logging.Logger.getLogger("org.apache.catalina"),
            java.util.logging.Logger.getLogger("org.apache.coyote"),
            java.util.logging.Logger.getLogger("org.apache.tomcat"));

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "gateway port; a free one if taken (default 8080)")
    int preferredPort;

    @Option(names = "--peer-port", defaultValue = "8181", description = "loopback peer port; a free one if taken")
    int preferredPeerPort;

    @Option(names = "--smtp-port", defaultValue = "2525",
            description = "the gateway's inbound SMTP listener; a free one if taken (default 2525)")
    int preferredSmtpPort;

    @Option(names = "--mail-ports", defaultValue = "3025,3143", split = ",",
            description = "SMTP and IMAP ports of the sandbox mail peers; free ones if taken (default 3025,3143)")
    int[] preferredMailPorts;

    @Option(names = "--ocsp-port", defaultValue = "8282", description = "the demo CA's OCSP responder; a free one if taken")
    int preferredOcspPort;

    @Option(names = "--demail-ports", defaultValue = "3465,3144,3466,3145,8283", split = ",",
            description = "the sandbox De-Mail providers: SMTPS and IMAP of dmda-a (the gateway's provider), SMTPS and "
                    + "IMAP of dmda-b, and their HTTP endpoint; free ones if taken (default 3465,3144,3466,3145,8283)")
    int[] preferredDeMailPorts;

    @Option(names = "--bebpo-port", defaultValue = "8284",
            description = "the sandbox OSCI intermediary justiz and its directory (beBPo); a free one if taken "
                    + "(default 8284)")
    int preferredBebpoPort;

    @Option(names = "--exit-after-start", hidden = true, description = "stop once everything runs (for tests)")
    boolean exitAfterStart;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        long started = System.nanoTime();
        SANDBOX_VALIDATOR.setLevel(java.util.logging.Level.SEVERE);
        TOMCAT.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        Path home = Home.directory();
        Path demo = home.resolve("data/demo");
        Files.createDirectories(demo.resolve("logs"));
        Properties state = loadState(demo.resolve("demo-state.properties"));
        String token = state.getProperty("apiToken");

        LoopbackPeer peer = LoopbackPeer.builder(demo.resolve("peers/loopback"))
                .port(port(preferredPeerPort)).domain(PEER_DOMAIN).mailboxes("poststelle", "erika.mustermann")
                .readAfter(Duration.ofSeconds(15)).build().start();
        out.println("preparing the demo PKI, the gateway's key store and the sandbox mail peers in "
                + home.relativize(demo) + " ...");
        out.flush();
        DemoMail mail = DemoMail.start(demo, DemoBebpo.addTo(DemoDeMail.addTo(DemoMail.plan())),
                port(preferredOcspPort),
                port(preferredMailPorts[0]), port(preferredMailPorts[1]), port(preferredSmtpPort));
        DemoDeMail demail = startDeMail(demo, mail);
        DemoBebpo bebpo = startBebpo(demo, mail, demail);
        int port = port(preferredPort);
        Map<String, String> people = consoleUsers(state);
        Path config = writeGatewayConfig(demo, port, peer, mail, demail, bebpo, ClientTokenCommand.digest(token));
        appendConsoleUsers(config, people, ClientTokenCommand.digest(state.getProperty("securityToken")));
        Process gateway = startGateway(home, demo, config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(gateway, peer, mail, demail, bebpo)));
        URI api = URI.create("http://127.0.0.1:" + port);
        awaitHealthy(gateway, api, demo.resolve("logs/gateway.log"));

        List<String> samples = sendSamples(new GatewayApi(api, token), peer, mail, demail, bebpo,
                demo.resolve("samples"));
        Path endpoints = writeEndpoints(demo, api, token, peer, mail, demail, bebpo);
        addConsole(endpoints, api, people, state.getProperty("securityToken"));
        printSummary(api, peer, mail, demail, bebpo, endpoints, samples,
                Duration.ofNanos(System.nanoTime() - started));
        if (exitAfterStart) {
            return 0;
        }
        int exit = gateway.waitFor();
        out.println("the gateway stopped (exit " + exit + "); see data/demo/logs/gateway.log");
        return exit == 0 || exit == 130 || exit == 143 ? 0 : 1; // 130: Ctrl-C reached the gateway too
    }

    private DemoDeMail startDeMail(Path demo, DemoMail mail) throws Exception {
        int[] ports = new int[preferredDeMailPorts.length];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = port(preferredDeMailPorts[i]);
        }
        try {
            return DemoDeMail.start(demo, mail, ports);
        } catch (Exception | Error e) {
            mail.close();
            throw e;
        }
    }

    private DemoBebpo startBebpo(Path demo, DemoMail mail, DemoDeMail demail) throws Exception {
        try {
            return DemoBebpo.start(demo, mail, port(preferredBebpoPort));
        } catch (Exception | Error e) {
            demail.close();
            mail.close();
            throw e;
        }
    }

    private Properties loadState(Path file) throws IOException {
        Properties state = new Properties();
        if (Files.isRegularFile(file)) {
            try (var in = Files.newInputStream(file)) {
                state.load(in);
            }
        }
        // what a demo directory of an older version lacks is added, so a second start keeps working
        boolean changed = false;
        changed |= state.putIfAbsent("apiToken", ClientTokenCommand.newToken()) == null;
        changed |= state.putIfAbsent("securityToken", ClientTokenCommand.newToken()) == null;
        for (String person : DEMO_PEOPLE.keySet()) {
            changed |= state.putIfAbsent("console." + person, ClientTokenCommand.newToken().substring(0, 20)) == null;
        }
        if (changed) {
            Files.createDirectories(file.getParent());
            try (var w = Files.newBufferedWriter(file)) {
                state.store(w, "Amtsbote demo: kept across starts. Demo only - never use these tokens and passwords"
                        + " elsewhere.");
            }
            ownerOnly(file);
        }
        return state;
    }

    /** The demo's three console users, one per role; their passwords are kept in demo-state.properties. */
    static final Map<String, String> DEMO_PEOPLE = Map.of("officer", "SECURITY_OFFICER", "operator", "OPERATOR",
            "auditor", "AUDITOR");

    private static Map<String, String> consoleUsers(Properties state) {
        Map<String, String> people = new java.util.TreeMap<>();
        for (String person : DEMO_PEOPLE.keySet()) {
            people.put(person, state.getProperty("console." + person));
        }
        return people;
    }

    /**
     * The console users (bcrypt hashes of the demo passwords, made at every start: hashes are salted, so the file
     * differs each time) and a client system for the security officer's scripts ({@code ./amtsbote trust},
     * {@code certificates}), which also may read the audit trail.
     */
    static void appendConsoleUsers(Path config, Map<String, String> people, String securityTokenDigest)
            throws IOException {
        org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder bcrypt =
                new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(10);
        StringBuilder text = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, String> person : people.entrySet()) {
            text.append("amtsbote.console.users[").append(i).append("].name=").append(person.getKey()).append('\n');
            text.append("amtsbote.console.users[").append(i).append("].password-hash={bcrypt}")
                    .append(bcrypt.encode(person.getValue())).append('\n');
            text.append("amtsbote.console.users[").append(i).append("].roles[0]=")
                    .append(DEMO_PEOPLE.get(person.getKey())).append('\n');
            i++;
        }
        text.append("amtsbote.clients[1].id=demo-sicherheit\n");
        text.append("amtsbote.clients[1].token-sha256=").append(securityTokenDigest).append('\n');
        text.append("amtsbote.clients[1].roles[0]=SECURITY_OFFICER\n");
        text.append("amtsbote.clients[1].roles[1]=AUDITOR\n");
        Files.writeString(config, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Adds the console's address, the demo people and the security officer's token to endpoints.json. */
    static void addConsole(Path endpoints, URI api, Map<String, String> people, String securityToken)
            throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> e = GatewayApi.JSON.readValue(Files.readString(endpoints), LinkedHashMap.class);
        e.put("console", api + "/console");
        e.put("consoleUsers", people);
        e.put("securityToken", securityToken);
        Files.writeString(endpoints, GatewayApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e));
    }

    static Path writeGatewayConfig(Path demo, int port, LoopbackPeer peer, DemoMail mail, DemoDeMail demail,
                                   DemoBebpo bebpo, String tokenDigest) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("server.port", String.valueOf(port));
        c.put("amtsbote.node-id", "demo");
        c.put("amtsbote.storage.directory", demo.toString());
        // S/MIME stays first, the preferred route for "participant:" recipients; De-Mail is used where a sender
        // names a demail: address, beBPo where it names a bebpo: address. Public bodies (öffentliche Stellen) may
        // ask for the De-Mail Abholbestätigung.
        participant(c, 0, "stadt-bad-vilbel", "Magistrat der Stadt Bad Vilbel", true, true,
                "smime:poststelle@bad-vilbel.example", demailAddress("stadt-bad-vilbel"),
                "loopback:stadt-bad-vilbel@gateway", DemoBebpo.address("stadt-bad-vilbel"));
        participant(c, 1, "stadt-viernheim", "Stadt Viernheim", true, true, "smime:poststelle@viernheim.example",
                demailAddress("stadt-viernheim"), "loopback:stadt-viernheim@gateway",
                DemoBebpo.address("stadt-viernheim"));
        participant(c, 2, "kreis-bergstrasse", "Kreisverwaltung Bergstraße", false, true,
                "smime:poststelle@kreis-bergstrasse.example", "demail:" + DemoDeMail.KREIS.address(),
                "loopback:poststelle@" + PEER_DOMAIN, DemoBebpo.KREIS.address());
        c.put("amtsbote.participants[2].certificates.smime", mail.pki.certificateFile("kreis-bergstrasse").toString());
        participant(c, 3, "erika-mustermann", "Erika Mustermann", false, false, "smime:erika.mustermann@example.org",
                "demail:" + DemoDeMail.ERIKA.address(), "loopback:erika.mustermann@" + PEER_DOMAIN);
        c.put("amtsbote.participants[3].certificates.smime", mail.pki.certificateFile("erika-mustermann").toString());
        c.put("amtsbote.participants[3].certificates.demail", demail.certificate(DemoDeMail.ERIKA).toString());
        // the court is reached over beBPo only; the directory names its certificates
        participant(c, 4, DemoBebpo.COURT.id(), DemoBebpo.COURT.holder(), false, true, DemoBebpo.COURT.address());
        c.putAll(mail.gatewaySettings());
        c.putAll(demail.gatewaySettings());
        c.putAll(bebpo.gatewaySettings());
        c.put("amtsbote.clients[0].id", "demo-fachverfahren");
        c.put("amtsbote.clients[0].token-sha256", tokenDigest);
        c.put("amtsbote.clients[0].participants[0]", "stadt-bad-vilbel");
        c.put("amtsbote.clients[0].participants[1]", "stadt-viernheim");
        c.put("amtsbote.clients[0].roles[0]", "MONITORING");
        c.put("amtsbote.channels.loopback.endpoint", peer.baseUri().toString());
        c.put("amtsbote.channels.loopback.domain", PEER_DOMAIN);
        c.put("amtsbote.inbound.poll-interval", "2s");
        StringBuilder text = new StringBuilder("# written by ./amtsbote demo at every start\n");
        c.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path file = demo.resolve("gateway.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String demailAddress(String participant) {
        return "demail:" + DemoDeMail.OWN.stream().filter(o -> o.id().equals(participant)).findFirst().orElseThrow()
                .address();
    }

    private static void participant(Map<String, String> c, int i, String id, String name, boolean own,
                                    boolean publicBody, String... addresses) {
        c.put("amtsbote.participants[" + i + "].id", id);
        c.put("amtsbote.participants[" + i + "].name", name);
        c.put("amtsbote.participants[" + i + "].own", String.valueOf(own));
        c.put("amtsbote.participants[" + i + "].public-body", String.valueOf(publicBody));
        for (int a = 0; a < addresses.length; a++) {
            c.put("amtsbote.participants[" + i + "].addresses[" + a + "]", addresses[a]);
        }
    }

    private Process startGateway(Path home, Path demo, Path config) throws IOException {
        Path jar = gatewayJar(home);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-jar", jar.toString(), "--spring.config.additional-location=file:" + config));
        out.println("starting the gateway (" + jar.getFileName() + ") on the embedded database in " + home.relativize(demo));
        out.flush();
        return new ProcessBuilder(command).directory(demo.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(demo.resolve("logs/gateway.log").toFile())).start();
    }

    private static Path gatewayJar(Path home) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(home.resolve("gateway/target"),
                "amtsbote-gateway-*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // handled below with the same advice
        }
        throw new IllegalStateException("the gateway is not built; run ./amtsbote demo (it builds) or ./mvnw package");
    }

    private void awaitHealthy(Process gateway, URI api, Path log) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(out::println);
                throw new IllegalStateException("the gateway stopped during start-up; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the gateway did not start within two minutes; see " + log);
    }

    private List<String> sendSamples(GatewayApi api, LoopbackPeer peer, DemoMail mail, DemoDeMail demail,
                                     DemoBebpo bebpo, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path hearing = dir.resolve("Anhoerung Bauantrag 2026-0815.txt");
        Files.writeString(hearing, "Anhörung zum Bauantrag 2026-0815\n\nSehr geehrte Damen und Herren, ...\n");
        Path notice = dir.resolve("Hundesteuerbescheid 2026.txt");
        Files.writeString(notice, "Bescheid über die Hundesteuer 2026\n\nFestgesetzt werden 90,00 EUR.\n");
        Path minutes = dir.resolve("Niederschrift Ortsbeirat.txt");
        Files.writeString(minutes, "Niederschrift der Sitzung des Ortsbeirats\n");
        Path plan = dir.resolve("Bebauungsplan Nr. 42 Entwurf.txt");
        Files.writeString(plan, "Bebauungsplan Nr. 42 \"Am Südbahnhof\", Entwurf zur Beteiligung der Behörden\n");
        Path tax = dir.resolve("Grundsteuerbescheid 2026.txt");
        Files.writeString(tax, "Bescheid über die Grundsteuer 2026\n\nFestgesetzt werden 412,80 EUR.\n");
        Path lawsuit = dir.resolve("Klage Stadt Bad Vilbel gegen Muster GmbH.txt");
        Files.writeString(lawsuit, "Klage in Sachen Stadt Bad Vilbel gegen Muster GmbH wegen rückständiger "
                + "Erschließungsbeiträge\n");
        Path statement = dir.resolve("Stellungnahme Kreisstrasse K 23.txt");
        Files.writeString(statement, "Stellungnahme zum Ausbau der Kreisstraße K 23 im Bereich Viernheim\n");
        List<String> lines = new ArrayList<>();
        List<String> mdns = List.of("delivery", "retrieval");
        lines.add(send(api, "stadt-bad-vilbel", "participant:kreis-bergstrasse", "Anhörung zum Bauantrag 2026-0815",
                "AZ 63-2026-0815", hearing, true, true, mdns) + "  [S/MIME, signed MDNs after 15 s]");
        lines.add(send(api, "stadt-viernheim", "participant:erika-mustermann", "Bescheid über die Hundesteuer 2026",
                "AZ 22-HST-4711", notice, true, true, mdns) + "  [S/MIME, signed MDNs at once]");
        lines.add(send(api, "stadt-bad-vilbel", "loopback:poststelle@" + PEER_DOMAIN, "Niederschrift Ortsbeirat",
                "AZ 10-OBR-12", minutes, false, false, List.of("retrieval")) + "  [loopback]");
        lines.add(send(api, "stadt-bad-vilbel", "demail:" + DemoDeMail.KREIS.address(),
                "Beteiligung zum Bebauungsplan Nr. 42", "AZ 61-BP-42", plan, true, false,
                List.of("dispatch", "delivery", "retrieval"))
                + "  [De-Mail absenderbestätigt (provider-signed); Versand-, Eingangs- and Abholbestätigung, the last"
                + " at the Kreis' secure login after 15 s]");
        lines.add(send(api, "stadt-viernheim", "demail:" + DemoDeMail.ERIKA.address(),
                "Bescheid über die Grundsteuer 2026", "AZ 22-GRST-0815", tax, true, true, mdns)
                + "  [De-Mail end-to-end S/MIME; Eingangs- and Abholbestätigung, Erika logs in securely at once]");
        lines.add(send(api, "stadt-bad-vilbel", DemoBebpo.COURT.address(), "Klage wegen Erschließungsbeiträgen",
                "AZ 30-KL-2026-17", lawsuit, true, true, mdns)
                + "  [beBPo to the " + DemoBebpo.COURT.holder() + " via intermediary justiz; process cards"
                + " Creation, Forwarding, Reception (the court acknowledges after 15 s) as evidence]");
        String erika = mail.peers.peer("erika.mustermann@example.org").send(
                de.amtsbote.sandbox.mail.OutgoingMail.to("poststelle@viernheim.example")
                        .recipientCertificate(mail.encryptionCertificates.get("stadt-viernheim"))
                        .subject("Widerspruch gegen den Hundesteuerbescheid")
                        .body("Sehr geehrte Damen und Herren,\r\nhiermit lege ich Widerspruch ein.\r\n")
                        .requestMdn().build());
        lines.add("inbound  erika.mustermann@example.org -> stadt-viernheim  \"Widerspruch gegen den "
                + "Hundesteuerbescheid\"  [S/MIME " + erika + "; acknowledge it and Erika gets a signed MDN]");
        peer.send("erika.mustermann", new OutgoingLetter("stadt-bad-vilbel@gateway",
                "Frage zur Gewerbeanmeldung", "Wann ist meine Anmeldung bearbeitet?", true, List.of()));
        lines.add("inbound  erika.mustermann@" + PEER_DOMAIN + " -> stadt-bad-vilbel  \"Frage zur Gewerbeanmeldung\""
                + "  [loopback]");
        String viernheim = demailAddress("stadt-viernheim").substring("demail:".length());
        String objection = demail.mailbox(DemoDeMail.ERIKA).send(
                de.amtsbote.sandbox.demail.OutgoingDeMail.to(viernheim)
                        .subject("Widerspruch gegen den Grundsteuerbescheid 2026")
                        .body("Sehr geehrte Damen und Herren,\r\nhiermit lege ich Widerspruch ein.\r\n")
                        .encryptFor(mail.encryptionCertificates.get("stadt-viernheim")).receiptConfirmation()
                        .build());
        lines.add("inbound  " + DemoDeMail.ERIKA.address() + " -> stadt-viernheim  \"Widerspruch gegen den "
                + "Grundsteuerbescheid 2026\"  [De-Mail end-to-end S/MIME, " + objection + "]");
        String kreis;
        try {
            kreis = bebpo.mailbox(DemoBebpo.KREIS).send(de.amtsbote.sandbox.osci.OutgoingDelivery
                    .to(DemoBebpo.own("stadt-viernheim").mailbox()).subject("Stellungnahme zum Ausbau der K 23")
                    .body("Sehr geehrte Damen und Herren,\nanbei unsere Stellungnahme.").reference("AZ 66-K23-2026")
                    .attach(statement).build()).messageId();
        } catch (de.amtsbote.sandbox.osci.OsciFaultException f) {
            throw new IllegalStateException("the Kreis' sample beBPo delivery was refused: " + f.getMessage(), f);
        }
        lines.add("inbound  " + DemoBebpo.KREIS.address() + " -> stadt-viernheim  \"Stellungnahme zum Ausbau der"
                + " K 23\"  [beBPo with proof of origin (VHN), message id " + kreis + "]");
        return lines;
    }

    private static String send(GatewayApi api, String sender, String recipient, String subject, String reference,
                               Path attachment, boolean sign, boolean encrypt, List<String> receipts) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("sender", sender);
        e.put("recipients", List.of(recipient));
        e.put("subject", subject);
        e.put("reference", reference);
        e.put("body", "Sehr geehrte Damen und Herren,\nanbei erhalten Sie das Schreiben.");
        e.put("options", Map.of("sign", sign, "encrypt", encrypt, "receipts", receipts));
        String envelope = GatewayApi.JSON.writeValueAsString(e);
        GatewayApi.Answer a = api.submit(envelope, List.of(attachment), "demo-" + UUID.randomUUID());
        if (!a.ok()) {
            throw new IllegalStateException("the sample message to " + recipient + " was refused: " + a.problem());
        }
        return "outbound " + a.body().get("id").asString() + "  " + sender + " -> " + recipient + "  \"" + subject + "\"";
    }

    static Path writeEndpoints(Path demo, URI api, String token, LoopbackPeer peer, DemoMail mail, DemoDeMail demail,
                               DemoBebpo bebpo) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("api", api.toString());
        e.put("console", null); // set by addConsole
        e.put("apiToken", token);
        e.put("consoleUsers", Map.of());
        e.put("gatewayInboundSmtp", "127.0.0.1:" + mail.gatewaySmtpPort);
        e.put("pki", Map.of("trustAnchor", mail.pki.anchorFile().toString(),
                "evidenceCert", mail.evidenceCertificate.toString(), "ocsp", mail.ocsp.ocspUrl().toString()));
        List<Object> peers = new ArrayList<>(mail.peerEntries());
        peers.addAll(demail.peerEntries());
        peers.addAll(bebpo.peerEntries());
        peers.add(peerEntry("loopback:poststelle@" + PEER_DOMAIN, "kreis-bergstrasse", peer));
        peers.add(peerEntry("loopback:erika.mustermann@" + PEER_DOMAIN, "erika-mustermann", peer));
        e.put("peers", peers);
        e.put("participants", List.of(
                ownEntry("stadt-bad-vilbel", "smime:poststelle@bad-vilbel.example", "loopback:stadt-bad-vilbel@gateway",
                        mail),
                ownEntry("stadt-viernheim", "smime:poststelle@viernheim.example", "loopback:stadt-viernheim@gateway",
                        mail)));
        e.put("senders", List.of("stadt-bad-vilbel", "stadt-viernheim"));
        e.put("demail", demail.endpoints());
        e.put("bebpo", bebpo.endpoints());
        Path file = demo.resolve("endpoints.json");
        Files.writeString(file, GatewayApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e));
        ownerOnly(file);
        return file;
    }

    private static Map<String, Object> ownEntry(String id, String smime, String loopback, DemoMail mail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("smime", smime);
        addresses.put("demail", demailAddress(id));
        addresses.put("loopback", loopback);
        addresses.put("bebpo", DemoBebpo.address(id));
        p.put("addresses", addresses);
        // one encryption key per participant: De-Mail's end-to-end S/MIME uses the same certificate
        String encryption = mail.encryptionCertificates.get(id).toString();
        Map<String, String> certs = new LinkedHashMap<>();
        certs.put("smime", encryption);
        certs.put("demail", encryption);
        certs.put("bebpo", encryption);
        // beBPo also needs the certificate a peer checks the origin and content signatures against
        certs.put("bebpoSignature", mail.signingCertificates.get(id).toString());
        p.put("certs", certs);
        return p;
    }

    private static Map<String, Object> peerEntry(String address, String participant, LoopbackPeer peer) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("channel", "loopback");
        p.put("address", address);
        p.put("participant", participant);
        p.put("url", peer.baseUri().toString());
        p.put("note", "sandbox loopback channel: plain HTTP, unsigned and unencrypted, for trying the gateway out");
        return p;
    }

    private void printSummary(URI api, LoopbackPeer peer, DemoMail mail, DemoDeMail demail, DemoBebpo bebpo,
                              Path endpoints, List<String> samples, Duration took) {
        out.println();
        out.println("Amtsbote demo is running (ready " + took.toSeconds() + " s after the start).");
        out.println("  API            " + api + "   (bearer token in " + Home.directory().relativize(endpoints) + ")");
        out.println("  Health         " + api + "/actuator/health");
        out.println("  OpenAPI        " + api + "/v3/api-docs");
        out.println("  Metrics        " + api + "/actuator/prometheus");
        out.println("  Loopback peer  " + peer.baseUri() + "  (sandbox: Kreisverwaltung Bergstraße, Erika Mustermann;"
                + " reads what it receives after 15 s)");
        out.println("  Inbound SMTP   127.0.0.1:" + mail.gatewaySmtpPort + "  (the gateway's S/MIME listener)");
        out.println("  Mail peers     SMTP 127.0.0.1:" + mail.peers.smtpPort() + ", IMAP 127.0.0.1:" + mail.peers.imapPort()
                + "  (Kreisverwaltung Bergstraße poststelle@kreis-bergstrasse.example / kreis,");
        out.println("                 Erika Mustermann erika.mustermann@example.org / erika; folders INBOX, Opened, Sent)");
        for (de.amtsbote.sandbox.demail.DeMailProvider p : demail.providers.providers()) {
            out.println("  De-Mail " + p.name() + "  SMTPS 127.0.0.1:" + p.smtpPort() + ", IMAP 127.0.0.1:" + p.imapPort()
                    + (p.name().equals(DemoDeMail.GATEWAY_PROVIDER)
                    ? "  (the gateway's provider: account amtsbote, TLS client certificate from its key store)"
                    : "  (Kreisverwaltung Bergstraße " + DemoDeMail.KREIS.address() + " / kreis,"));
        }
        out.println("                 Erika Mustermann " + DemoDeMail.ERIKA.address() + " / erika)");
        out.println("  De-Mail HTTP   " + demail.http() + "/demail/log  (everything the providers did: confirmations,"
                + " secure logins);");
        out.println("                 POST " + demail.http() + "/demail/mailboxes/<address>/secure-login");
        out.println("  beBPo (OSCI)   intermediary justiz " + bebpo.intermediaryUrl() + ", directory "
                + bebpo.directoryUrl() + "/mailboxes/<id>");
        out.println("                 played: " + DemoBebpo.COURT.holder() + " " + DemoBebpo.COURT.mailbox()
                + " (acknowledges after 15 s),");
        out.println("                 " + DemoBebpo.KREIS.holder() + " " + DemoBebpo.KREIS.mailbox()
                + " (beBPo, acknowledges at once); both fetch every 2 s,");
        out.println("                 or now: POST " + bebpo.osci.baseUri() + "/osci/mailboxes/<id>/fetch");
        out.println("  Demo PKI       " + Home.directory().relativize(mail.pki.anchorFile()) + "  (OCSP "
                + mail.ocsp.ocspUrl() + ")");
        out.println("  Logs           data/demo/logs/gateway.log, data/demo/peers/mail/<address>/peer-log.jsonl,");
        out.println("                 data/demo/peers/demail/<provider>/demail-log.jsonl,");
        out.println("                 " + Home.directory().relativize(bebpo.intermediaryLog())
                + " (stored, fetched, acknowledged, refused),");
        out.println("                 data/demo/peers/bebpo/peers/<mailbox id>/peer-log.jsonl");
        out.println();
        out.println("Web console    " + api + "/console  (users officer, operator, auditor; passwords in"
                + " data/demo/endpoints.json, \"consoleUsers\")");
        out.println();
        out.println("Sample traffic:");
        samples.forEach(s -> out.println("  " + s));
        out.println();
        out.println("Try:");
        out.println("  ./amtsbote status <message id>");
        out.println("  ./amtsbote send --from stadt-bad-vilbel --to participant:kreis-bergstrasse --subject Test"
                + " --unsigned --unencrypted --receipts retrieval");
        out.println("  TOKEN=$(sed -n 's/.*\"apiToken\" : \"\\(.*\\)\".*/\\1/p' data/demo/endpoints.json)");
        out.println("  curl -H \"Authorization: Bearer $TOKEN\" " + api + "/api/v1/inbox");
        out.println("  curl -H \"Authorization: Bearer $TOKEN\" " + api + "/api/v1/messages/<message id>/evidence"
                + "   (De-Mail confirmations, beBPo process cards as they arrive)");
        out.println("  curl " + demail.http() + "/demail/log");
        out.println("  curl " + bebpo.directoryUrl() + "/mailboxes/" + DemoBebpo.COURT.mailbox());
        out.println();
        out.println("Press Ctrl-C to stop. A second start reuses data/demo/.");
        out.flush();
    }

    private static void stop(Process gateway, LoopbackPeer peer, DemoMail mail, DemoDeMail demail,
                             DemoBebpo bebpo) {
        if (gateway.isAlive()) {
            gateway.destroy();
            try {
                if (!gateway.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            } catch (InterruptedException e) {
                gateway.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        peer.close();
        bebpo.close();
        demail.close();
        mail.close();
    }

    /** The preferred port if it is free, else any free port. */
    private static int port(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", preferred));
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }

    /** The demo token is a secret: readable by the owner only. */
    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's ACLs apply
        }
    }
}
