package de.amtsbote.bench.load;

import de.amtsbote.bench.crypto.Machine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./amtsbote bench load [--quick|--full]}: the end-to-end load run. In one go on this machine:
 *
 * <ol>
 *   <li>prepares a demo-like installation (PKI, key store, sandbox mail and loopback peers, tokens);
 *   <li>measures the anchor: raw Bouncy Castle S/MIME sign + encrypt of the same message, one thread and all cores;
 *   <li>starts the gateway (exec jar) on the embedded default (H2) and drives its REST API with 1, 2, 4 … concurrent
 *       client systems, per channel (loopback, S/MIME): accepts per second, accept latency, and from the evidence
 *       the submit-to-SENT and submit-to-DELIVERED latencies;
 *   <li>the same on PostgreSQL (a fresh database), with three more nodes started next to it;
 *   <li>the dispatch rate of 1, 2 and 3 nodes draining a preloaded backlog;
 *   <li>heap and RSS of every node over the whole run;
 * </ol>
 * and writes {@code bench/results/load-<mode>.json} and {@code .md} and PNG charts. Every process and database it
 * started is stopped and dropped at the end, after a failure, and on Ctrl-C.
 */
public final class LoadBenchmark {

    /**
     * The sandbox peers validate certificates without revocation and say so at every start, as in the demo; kept in a
     * field because java.util.logging holds loggers weakly.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("de.amtsbote.crypto.validation.PkixCertificateValidator"));

    private final LoadOptions options;
    private final Path home;
    private final Path work;
    private final Cleanup cleanup;
    private final long origin = System.nanoTime();
    private final AtomicLong sequence = new AtomicLong();
    private final List<LoadResults.StepResult> steps = new ArrayList<>();
    private final List<LoadResults.DispatchRound> dispatch = new ArrayList<>();
    private final List<LoadResults.NodeStart> starts = new ArrayList<>();
    private final Map<String, JfrProfile.HotMethods> profiles = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Installation installation;
    private MemorySampler sampler;
    private byte[] attachment;
    private Path gatewayJar;

    private LoadBenchmark(LoadOptions options, Path home, Cleanup cleanup) {
        this.options = options;
        this.home = home;
        this.work = home.resolve("bench/target/load-run");
        this.cleanup = cleanup;
    }

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println("Usage: ./amtsbote bench " + LoadOptions.USAGE + "\n\nSee bench/README.md.");
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench load: " + e.getMessage() + "\n\nUsage: ./amtsbote bench " + LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        System.setProperty("java.awt.headless", "true");
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.SEVERE));
        Path home = Path.of(System.getProperty("amtsbote.home", ".")).toAbsolutePath().normalize();
        String command = ("./amtsbote bench load " + String.join(" ", java.util.Arrays.stream(args)
                .map(a -> a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a).toList())).trim();
        try (Cleanup cleanup = new Cleanup()) {
            new LoadBenchmark(options, home, cleanup).run(command);
        }
    }

    private void run(String command) throws Exception {
        Instant started = Instant.now();
        gatewayJar = options.gatewayJar() != null ? options.gatewayJar() : findGatewayJar(home);
        deleteTree(work);
        Files.createDirectories(work);
        // registered first, so it runs last, after every process stopped: the logs stay for a look afterwards
        cleanup.add("content files under " + work, () -> deleteContent(work));
        say("load run (%s): gateway %s, work directory %s", options.mode(), home.relativize(gatewayJar.toAbsolutePath()),
                home.relativize(work));
        installation = Installation.prepare(home.resolve("bench/target/load-installation"), work, cleanup);
        say("installation prepared in %.1f s (demo PKI, key store, mail peers, loopback peer)",
                installation.preparedSeconds);
        attachment = new byte[options.attachmentBytes()];
        new SplittableRandom(10).nextBytes(attachment);

        int cores = Runtime.getRuntime().availableProcessors();
        CryptoCeiling.Rates ceiling = new CryptoCeiling(installation.mail.pki.certificate("erika-mustermann"),
                attachment).measure(Duration.ofSeconds(Math.max(1, options.anchorSeconds() / 2)),
                Duration.ofSeconds(options.anchorSeconds()), cores);
        say("raw crypto ceiling: %.1f S/MIME sign+encrypt/s on one thread, %.1f/s on %d threads", ceiling.singleThread(),
                ceiling.allThreads(), cores);

        sampler = new MemorySampler(Duration.ofMillis(options.sampleMillis()), origin);
        cleanup.add("memory sampler", sampler::close);
        String postgres = "not measured";
        if (options.databases().contains("h2")) {
            embeddedPhase();
        }
        if (options.databases().contains("postgres")) {
            postgres = postgresPhase();
        }
        sampler.close();

        notes.add("The load clients and the sandbox peers (loopback HTTP peer; mail peers that decrypt, verify and answer"
                + " with signed MDNs) run in the benchmark's JVM, on the same " + cores + " cores as the gateway.");
        notes.add("Accept latency: request sent to 202 received (message durably stored). Submit-to-SENT/DELIVERED: from"
                + " the submission's start to the time in the delivery's evidence (RelayAcceptance, DeliveryAcceptance);"
                + " delivered/s: the step's accepted messages over the time from the step's start to the last delivery.");
        if (options.mode().equals("quick")) {
            notes.add("Quick mode: short steps and few samples; the figures are indicative only.");
        }
        double seconds = (System.nanoTime() - origin) / 1e9;
        LoadResults results = new LoadResults("load", options.mode(), started.toString(), seconds, Machine.facts(),
                command, postgres, options.asMap(), ceiling, LoadResults.headline(steps, ceiling), steps, dispatch,
                starts, sampler.samples(), profiles, notes);
        Path json = home.resolve(options.out()).resolve("load-" + options.mode() + ".json");
        Path md = json.resolveSibling("load-" + options.mode() + ".md");
        results.write(json);
        Map<String, Path> charts = Charts.draw(results, home.resolve(options.charts()), "load-" + options.mode() + "-");
        String markdown = LoadMarkdown.render(results, charts, md);
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(markdown);
        say("results: %s, %s; charts in %s (%.0f s in all)", home.relativize(json), home.relativize(md),
                home.relativize(home.resolve(options.charts())), seconds);
    }

    private void embeddedPhase() throws Exception {
        Path dir = work.resolve("h2");
        GatewayNode node = GatewayNode.configure("h2", dir, gatewayJar, installation.nodeSettings("bench-h2", dir, null,
                null, 8, Duration.ofMillis(500), installation.mail.gatewaySmtpPort), jvmOptions(),
                installation.monitoringToken);
        cleanup.add("gateway h2", node::close);
        sampler.phase("h2-start");
        node.start();
        sampler.watch(node);
        double took = node.awaitHealthy(Duration.ofMinutes(3));
        starts.add(new LoadResults.NodeStart("h2", "h2", took));
        say("gateway on the embedded default (H2) up in %.1f s", took);
        acceptPhase("h2", node);
        sampler.phase("h2-stop");
        cleanup.closeNow("gateway h2");
        sampler.forget(node);
    }

    private String postgresPhase() throws Exception {
        sampler.phase("pg-start");
        PostgresDatabases databases = PostgresDatabases.open(options.postgres(), cleanup);
        PostgresDatabases.Database db = databases.fresh("load");
        Path shared = Installation.sharedContent(work.resolve("pg-shared"));
        int workers = Math.max(1, options.maxNodes());
        List<GatewayNode> nodes = new ArrayList<>();
        // the first node serves the accept steps and is the first dispatch node; all poll once an hour, so they only
        // work when a submission on them wakes them (see DispatchScaling)
        for (int i = 0; i < workers; i++) {
            String name = "pg-" + (char) ('a' + i);
            nodes.add(node(name, db, shared, 8, i == 0 ? installation.mail.gatewaySmtpPort : GatewayNode.freePort()));
        }
        GatewayNode api = options.nodes().isEmpty() ? null : node("pg-api", db, shared, 0, GatewayNode.freePort());
        List<GatewayNode> all = new ArrayList<>(nodes);
        if (api != null) {
            all.add(api);
        }
        for (GatewayNode n : all) {
            n.start();
            sampler.watch(n);
        }
        for (GatewayNode n : all) {
            double took = n.awaitHealthy(Duration.ofMinutes(5));
            starts.add(new LoadResults.NodeStart(n.name(), "postgres", took));
        }
        say("%d gateway node(s) on %s up (%s)", all.size(), databases.describe(), db.name());
        acceptPhase("postgres", nodes.get(0));
        if (!options.nodes().isEmpty()) {
            // the other nodes have not worked yet: some work of their own, then one round with all of them, not
            // reported, warms their JIT
            sampler.phase("dispatch-warm-up");
            DispatchScaling.warmUp(nodes.subList(1, options.maxNodes()), installation,
                    Math.max(10, options.dispatchMessages() / 3), attachment, sequence,
                    Duration.ofSeconds(options.drainSeconds()));
            LoadResults.DispatchRound warm = DispatchScaling.round(nodes.subList(0, options.maxNodes()), api,
                    installation, Math.max(10, options.dispatchMessages() / 2), attachment, sequence,
                    Math.min(8, options.maxClients()), Duration.ofSeconds(options.drainSeconds()));
            say("dispatch warm-up with %d node(s): %d messages in %.2f s, by node %s", warm.nodes(), warm.messages(),
                    warm.seconds(), warm.byNode());
        }
        for (int n : options.nodes()) {
            sampler.phase("dispatch-" + n);
            List<GatewayNode> round = nodes.subList(0, n);
            boolean profile = options.profile() && n == options.maxNodes();
            if (profile) {
                for (GatewayNode g : round) {
                    startProfile(g);
                }
            }
            LoadResults.DispatchRound r = DispatchScaling.round(round, api, installation, options.dispatchMessages(),
                    attachment, sequence, Math.min(8, options.maxClients()), Duration.ofSeconds(options.drainSeconds()));
            if (profile) {
                for (GatewayNode g : round) {
                    profile("dispatch-" + n + "/" + g.name(), g);
                }
            }
            dispatch.add(r);
            say("dispatch with %d node(s): %d messages in %.2f s = %.1f/s (10–90 %%: %.1f/s), by node %s%s", n,
                    r.messages(), r.seconds(), r.deliveriesPerSecond(), r.steadyPerSecond(), r.byNode(),
                    r.complete() ? "" : " INCOMPLETE");
        }
        sampler.phase("pg-stop");
        all.forEach(GatewayNode::requestStop);
        for (GatewayNode n : all) {
            cleanup.closeNow("gateway " + n.name());
            sampler.forget(n);
        }
        return databases.describe();
    }

    private GatewayNode node(String name, PostgresDatabases.Database db, Path shared, int workers, int smtp)
            throws IOException {
        Path dir = work.resolve(name);
        GatewayNode node = GatewayNode.configure(name, dir, gatewayJar, installation.nodeSettings("bench-" + name, dir,
                db, shared, workers, Duration.ofHours(1), smtp), jvmOptions(), installation.monitoringToken);
        cleanup.add("gateway " + name, node::close);
        return node;
    }

    /** Warm-up, then one step per client count, for each channel, on one node. */
    private void acceptPhase(String database, GatewayNode node) throws Exception {
        LoadClient client = new LoadClient(node.uri(), installation.clientToken);
        Duration patience = Duration.ofSeconds(options.drainSeconds());
        for (Channel channel : options.channels()) {
            LoadStep.Outcome last = null;
            if (options.warmupSeconds() > 0) {
                sampler.phase(database + "/" + channel.id() + "/warm-up");
                LoadStep.Outcome warm = LoadStep.run(node.uri(), installation.clientToken, channel, options.maxClients(),
                        Long.MAX_VALUE, Duration.ofSeconds(options.warmupSeconds()), attachment, sequence);
                DeliveryTimes.Outcome d = DeliveryTimes.collect(client, warm, 10, patience);
                say("%s %s warm-up: %d accepted in %.1f s%s", database, channel.id(), warm.accepted(), warm.seconds(),
                        d.problems().isEmpty() ? "" : "; problems: " + d.problems());
            }
            for (int clients : options.clients()) {
                sampler.phase(database + "/" + channel.id() + "/" + clients);
                boolean profile = options.profile() && clients == options.maxClients();
                if (profile) {
                    startProfile(node);
                }
                LoadStep.Outcome step = LoadStep.run(node.uri(), installation.clientToken, channel, clients,
                        options.stepMessages(), Duration.ofSeconds(options.stepSeconds()), attachment, sequence);
                DeliveryTimes.Outcome d = DeliveryTimes.collect(client, step, options.sample(), patience);
                if (profile) {
                    profile(database + "/" + channel.id() + "/" + clients + "/" + node.name(), node);
                }
                List<String> problems = new ArrayList<>(step.problems());
                problems.addAll(d.problems());
                steps.add(new LoadResults.StepResult(database, channel.id(), clients, step.accepted(), step.refused(),
                        step.failed(), step.seconds(), step.acceptsPerSecond(), step.acceptLatency(), d, problems));
                say("%s %s %2d clients: %d accepted in %.1f s = %.1f/s, accept p50 %.1f p99 %.1f ms; delivered p50 %.0f"
                                + " p99 %.0f ms, %.1f/s (%d/%d sampled)%s", database, channel.id(), clients,
                        step.accepted(), step.seconds(), step.acceptsPerSecond(), step.acceptLatency().p50Ms(),
                        step.acceptLatency().p99Ms(), d.submitToDelivered().p50Ms(), d.submitToDelivered().p99Ms(),
                        d.deliveriesPerSecond(), d.delivered(), d.sampled(),
                        problems.isEmpty() ? "" : "; problems: " + problems);
                if (step.accepted() == 0) {
                    throw new IllegalStateException("nothing was accepted in " + database + "/" + channel.id()
                            + "; the gateway said: " + step.problems() + "\n" + node.tail(20));
                }
                last = step;
            }
            if (channel == Channel.SMIME && last != null) {
                // the peer's displayed MDNs come after DELIVERED; let them arrive here, not at the next gateway
                DeliveryTimes.awaitRetrieved(client, last, patience);
            }
        }
    }

    private void profile(String phase, GatewayNode node) throws IOException, InterruptedException {
        Path dir = home.resolve(options.out()).resolve("profiles");
        Files.createDirectories(dir);
        Path file = dir.resolve("load-" + options.mode() + "-" + phase.replaceAll("[^A-Za-z0-9-]+", "_") + ".jfr");
        JfrProfile.HotMethods hot;
        try {
            JfrProfile.stop(node, file);
            hot = JfrProfile.analyse(file, 15);
        } catch (IOException e) {
            // a profile that could not be taken must not cost the run's figures
            notes.add("no profile of " + phase + ": " + e.getMessage());
            say("no profile of %s: %s", phase, e.getMessage());
            return;
        }
        profiles.put(phase, new JfrProfile.HotMethods(home.relativize(file.toAbsolutePath()).toString(), hot.samples(),
                hot.self(), hot.total(), hot.ownTotal()));
        System.out.println(JfrProfile.describe(phase, hot));
    }

    private void startProfile(GatewayNode node) throws InterruptedException {
        try {
            JfrProfile.start(node);
        } catch (IOException e) {
            say("cannot start JFR in %s: %s", node.name(), e.getMessage());
        }
    }

    private List<String> jvmOptions() {
        return List.of("-Xmx" + options.gatewayHeap());
    }

    static Path findGatewayJar(Path home) throws IOException {
        Path target = home.resolve("gateway/target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "amtsbote-gateway-*-exec.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
        }
        throw new IOException("the gateway is not built (no gateway/target/amtsbote-gateway-*-exec.jar under " + home
                + "); ./amtsbote bench load builds it, or run ./mvnw -pl gateway -am package -DskipTests");
    }

    /** The nodes' content stores and H2 files: gigabytes after a full run, and of no use afterwards. */
    private static void deleteContent(Path work) throws IOException {
        try (var dirs = Files.walk(work, 3)) {
            for (Path p : dirs.filter(d -> Files.isDirectory(d) && (d.getFileName().toString().equals("content")
                    || d.getFileName().toString().equals("db"))).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[load %5.1f s %tT] " + format + "%n",
                prepend((System.nanoTime() - origin) / 1e9, prepend(new java.util.Date(), args)));
        System.out.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
