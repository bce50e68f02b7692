package de.amtsbote.sandbox;

import de.amtsbote.sandbox.demail.DeMailConfig;
import de.amtsbote.sandbox.demail.DeMailProvider;
import de.amtsbote.sandbox.demail.DeMailProviders;
import de.amtsbote.sandbox.loopback.LoopbackPeer;
import de.amtsbote.sandbox.loopback.SandboxMain;
import de.amtsbote.sandbox.mail.MailPeer;
import de.amtsbote.sandbox.mail.MailPeers;
import de.amtsbote.sandbox.mail.MailPeersConfig;
import de.amtsbote.sandbox.mail.OutgoingMail;
import de.amtsbote.sandbox.osci.Intermediary;
import de.amtsbote.sandbox.osci.OsciConfig;
import de.amtsbote.sandbox.osci.OsciIntermediaries;
import de.amtsbote.sandbox.osci.OsciPeer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The sandbox's entry point: the loopback peer and the mail peers in one process, or a mail peer sending one mail.
 *
 * <pre>
 * java -cp … de.amtsbote.sandbox.Sandbox [--loopback=true|false] [loopback options] [--mail=mail-peers.json]
 *      [--demail=demail.json] [--osci=osci.json]
 * java -cp … de.amtsbote.sandbox.Sandbox send --mail=mail-peers.json --from=ADDRESS --to=ADDRESS
 *      [--recipient-cert=PEM] --subject=TEXT [--body=TEXT] [--attach=FILE]... [--reference=TEXT]
 *      [--receipts=mdn|ess|mdn,ess] [--unsigned] [--unencrypted]
 * </pre>
 *
 * The loopback options are those of {@link SandboxMain} ({@code --data --port --mailboxes --domain --store-content
 * --read-after}); the loopback peer runs unless {@code --loopback=false}. The mail peers run when {@code --mail} names
 * their JSON configuration ({@link MailPeersConfig#read}); the De-Mail providers when {@code --demail} names theirs
 * ({@link DeMailConfig#read}); the OSCI intermediaries, their directory and played mailboxes when {@code --osci} names
 * theirs ({@link OsciConfig#read}). When everything listens, one line per thing is printed,
 * then {@code sandbox ready}:
 *
 * <pre>
 * loopback http://127.0.0.1:8181
 * mail smtp 127.0.0.1:3025 imap 127.0.0.1:3143 gateway 127.0.0.1:2525
 * mail peer poststelle@viernheim.example receipts after:PT15S log /…/poststelle@viernheim.example/peer-log.jsonl
 * demail dmda-a smtps 127.0.0.1:1465 imap 127.0.0.1:1143 log /…/dmda-a/demail-log.jsonl
 * demail http http://127.0.0.1:8282
 * osci http://127.0.0.1:8383 directory http://127.0.0.1:8383/safe
 * osci intermediary justiz http://127.0.0.1:8383/osci/justiz log /…/justiz/osci-log.jsonl
 * osci mailbox DE.Justiz.… acknowledge at-once log /…/peers/DE.Justiz.…/peer-log.jsonl
 * sandbox ready
 * </pre>
 *
 * {@code send} prints the Message-ID of the mail it handed to the gateway.
 */
public final class Sandbox implements AutoCloseable {

    private static final Set<String> LOOPBACK_OPTIONS =
            Set.of("data", "port", "mailboxes", "domain", "store-content", "read-after");
    private static final Set<String> SEND_OPTIONS = Set.of("mail", "from", "to", "recipient-cert", "subject", "body",
            "attach", "reference", "receipts", "unsigned", "unencrypted");

    private final LoopbackPeer loopback;
    private final MailPeers mail;
    private final DeMailProviders demail;
    private final OsciIntermediaries osci;

    private Sandbox(LoopbackPeer loopback, MailPeers mail, DeMailProviders demail, OsciIntermediaries osci) {
        this.loopback = loopback;
        this.mail = mail;
        this.demail = demail;
        this.osci = osci;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("send")) {
            try {
                send(List.of(args).subList(1, args.length), System.out);
            } catch (IllegalArgumentException e) {
                usage(e.getMessage());
            }
            return;
        }
        Sandbox sandbox;
        try {
            sandbox = start(List.of(args), System.out);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("sandbox: " + problem);
        System.err.println("usage: Sandbox [--loopback=true|false] [--data=DIR] [--port=N] [--mailboxes=a,b]"
                + " [--domain=NAME] [--store-content=true|false] [--read-after=30s] [--mail=mail-peers.json]"
                + " [--demail=demail.json] [--osci=osci.json]");
        System.err.println("       Sandbox send --mail=mail-peers.json --from=ADDRESS --to=ADDRESS"
                + " [--recipient-cert=PEM] --subject=TEXT [--body=TEXT] [--attach=FILE]... [--reference=TEXT]"
                + " [--receipts=mdn,ess] [--unsigned] [--unencrypted]");
        System.exit(2);
    }

    /**
     * Starts what the options ask for and prints where it listens ({@code out}); the last line is
     * {@code sandbox ready}.
     *
     * @throws IllegalArgumentException for options that are wrong, naming the option
     * @throws IOException              when a port is taken or a file cannot be read
     */
    public static Sandbox start(List<String> args, PrintStream out) throws IOException {
        Map<String, List<String>> options = parse(args);
        boolean withLoopback = !"false".equalsIgnoreCase(single(options, "loopback", "true"));
        Map<String, String> loopbackOptions = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> o : options.entrySet()) {
            if (LOOPBACK_OPTIONS.contains(o.getKey())) {
                loopbackOptions.put(o.getKey(), single(options, o.getKey(), null));
            } else if (!Set.of("loopback", "mail", "demail", "osci").contains(o.getKey())) {
                throw new IllegalArgumentException("unknown option --" + o.getKey());
            }
        }
        if (!withLoopback && !options.containsKey("mail") && !options.containsKey("demail")
                && !options.containsKey("osci")) {
            throw new IllegalArgumentException("nothing to start: --loopback=false and no --mail, --demail or --osci");
        }
        LoopbackPeer loopback = null;
        MailPeers mail = null;
        DeMailProviders demail = null;
        OsciIntermediaries osci = null;
        try {
            if (withLoopback) {
                loopback = new LoopbackPeer(SandboxMain.config(loopbackOptions)).start();
                out.println("loopback " + loopback.baseUri());
            }
            if (options.containsKey("mail")) {
                mail = MailPeers.start(MailPeersConfig.read(Path.of(single(options, "mail", null))));
                MailPeersConfig c = mail.config();
                out.println("mail smtp 127.0.0.1:" + mail.smtpPort() + " imap 127.0.0.1:" + mail.imapPort()
                        + " gateway " + c.gatewayHost() + ":" + c.gatewayPort());
                for (MailPeer p : mail.peers()) {
                    out.println("mail peer " + p.address() + " receipts " + p.config().receipts() + " log "
                            + p.logFile().toAbsolutePath());
                }
            }
            if (options.containsKey("demail")) {
                demail = DeMailProviders.start(DeMailConfig.read(Path.of(single(options, "demail", null))));
                for (DeMailProvider p : demail.providers()) {
                    out.println("demail " + p.name() + " smtps 127.0.0.1:" + p.smtpPort() + " imap 127.0.0.1:"
                            + p.imapPort() + " log " + p.logFile().toAbsolutePath());
                }
                if (demail.httpPort() > 0) {
                    out.println("demail http http://127.0.0.1:" + demail.httpPort());
                }
            }
            if (options.containsKey("osci")) {
                osci = OsciIntermediaries.start(OsciConfig.read(Path.of(single(options, "osci", null))));
                out.println("osci " + osci.baseUri() + " directory " + osci.directoryUri());
                for (Intermediary i : osci.intermediaries()) {
                    out.println("osci intermediary " + i.name() + " " + i.url() + " log "
                            + i.logFile().toAbsolutePath());
                }
                for (OsciPeer p : osci.peers()) {
                    out.println("osci mailbox " + p.id() + " acknowledge " + p.config().acknowledge() + " log "
                            + p.logFile().toAbsolutePath());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (loopback != null) {
                loopback.close();
            }
            if (mail != null) {
                mail.close();
            }
            if (demail != null) {
                demail.close();
            }
            if (osci != null) {
                osci.close();
            }
            throw e;
        }
        out.println("sandbox ready");
        out.flush();
        return new Sandbox(loopback, mail, demail, osci);
    }

    /** {@code send}: one mail from a mail peer to a gateway participant; prints its Message-ID. */
    public static String send(List<String> args, PrintStream out) throws IOException {
        Map<String, List<String>> options = parse(args);
        for (String key : options.keySet()) {
            if (!SEND_OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " for send");
            }
        }
        String config = single(options, "mail", null);
        String from = single(options, "from", null);
        String to = single(options, "to", null);
        String subject = single(options, "subject", null);
        if (config == null || from == null || to == null || subject == null) {
            throw new IllegalArgumentException("send needs --mail, --from, --to and --subject");
        }
        OutgoingMail.Builder mail = OutgoingMail.to(to).subject(subject).body(single(options, "body", ""))
                .reference(single(options, "reference", null));
        String cert = single(options, "recipient-cert", null);
        if (cert != null) {
            mail.recipientCertificate(Path.of(cert));
        }
        options.getOrDefault("attach", List.of()).forEach(a -> mail.attach(Path.of(a)));
        for (String r : single(options, "receipts", "").split(",")) {
            switch (r.trim().toLowerCase(Locale.ROOT)) {
                case "" -> { }
                case "mdn" -> mail.requestMdn();
                case "ess" -> mail.requestEssReceipt();
                default -> throw new IllegalArgumentException("--receipts takes mdn, ess or mdn,ess, not '" + r + "'");
            }
        }
        if (options.containsKey("unsigned")) {
            mail.unsigned();
        }
        if (options.containsKey("unencrypted")) {
            mail.unencrypted();
        }
        try (MailPeers peers = MailPeers.offline(MailPeersConfig.read(Path.of(config)))) {
            String messageId = peers.peer(from).send(mail.build());
            out.println(messageId);
            return messageId;
        }
    }

    /** The loopback peer, if it runs. */
    public LoopbackPeer loopback() {
        return loopback;
    }

    /** The mail peers, if they run. */
    public MailPeers mail() {
        return mail;
    }

    /** The De-Mail providers, if they run. */
    public DeMailProviders demail() {
        return demail;
    }

    /** The OSCI intermediaries, directory and played mailboxes, if they run. */
    public OsciIntermediaries osci() {
        return osci;
    }

    @Override
    public void close() {
        if (osci != null) {
            osci.close();
        }
        if (demail != null) {
            demail.close();
        }
        if (mail != null) {
            mail.close();
        }
        if (loopback != null) {
            loopback.close();
        }
    }

    /** {@code --key=value} (repeatable) and {@code --flag}. */
    private static Map<String, List<String>> parse(List<String> args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.length() < 3) {
                throw new IllegalArgumentException("arguments are --key=value or --flag, got '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String key = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            String value = equals < 0 ? "true" : arg.substring(equals + 1);
            options.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return options;
    }

    private static String single(Map<String, List<String>> options, String key, String fallback) {
        List<String> values = options.get(key);
        if (values == null) {
            return fallback;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("--" + key + " is given more than once");
        }
        return values.get(0);
    }
}
