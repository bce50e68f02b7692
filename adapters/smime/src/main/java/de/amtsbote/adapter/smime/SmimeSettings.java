package de.amtsbote.adapter.smime;

import de.amtsbote.spi.ChannelSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The S/MIME channel's configuration, read from {@code amtsbote.channels.smime.*}. Every key is documented in
 * {@link SmimeAdapterProvider}; a bad value fails at start-up with a message naming the key.
 */
record SmimeSettings(Relay relay, Listener listener, List<Mailbox> mailboxes, long maxMessageBytes,
                     boolean requireSignature, Duration receiptWindow, Path spoolDirectory) {

    static final long DEFAULT_MAX_MESSAGE_BYTES = 50L << 20;
    static final Duration DEFAULT_RECEIPT_WINDOW = Duration.ofDays(90);
    static final int DEFAULT_LISTEN_PORT = 2525;

    /** How a connection is protected. */
    enum Tls {
        /** Plain SMTP/IMAP: only for loopback or a network the operator trusts. */
        NONE,
        /** Plain connect, then STARTTLS, which must succeed (the connection fails otherwise). */
        STARTTLS,
        /** TLS from the first byte (SMTPS 465, IMAPS 993). */
        IMPLICIT;

        static Tls parse(ChannelSettings settings, String key, Tls fallback) {
            return settings.get(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "starttls" -> STARTTLS;
                case "implicit", "tls", "ssl" -> IMPLICIT;
                default -> throw invalid(settings, key, "must be none, starttls or implicit, got '" + v + "'");
            }).orElse(fallback);
        }
    }

    /** Where a password comes from: a file or an environment variable, never the configuration itself. */
    record Secret(String description, Path file, String environment) {
        char[] read() {
            try {
                return (file != null ? de.amtsbote.crypto.keys.SecretSource.file(file)
                        : de.amtsbote.crypto.keys.SecretSource.environment(environment)).read();
            } catch (de.amtsbote.crypto.keys.KeyVaultException e) {
                throw new IllegalStateException(description + ": " + e.getMessage(), e);
            }
        }
    }

    /** Where outbound mail goes: one SMTP relay (the authority's mail server or the peer's). */
    record Relay(String host, int port, Tls tls, String user, Secret password, Path trustPem, Duration connectTimeout,
                 Duration timeout, int poolSize, String heloName) {
        /** {@code host:port}, the peer the gateway keeps a circuit breaker for. */
        String peer() {
            return host + ":" + port;
        }
    }

    /** The inbound SMTP listener. */
    record Listener(boolean enabled, String host, int port, Duration timeout) {
    }

    /** An IMAP mailbox on an existing mail server that is polled for mail. */
    record Mailbox(String name, String host, int port, Tls tls, String user, Secret password, String folder,
                   String address, Processed processed, String moveTo, boolean idle, Path trustPem,
                   Duration connectTimeout, Duration timeout) {
        String describe() {
            return "IMAP mailbox '" + name + "' (" + user + "@" + host + ":" + port + "/" + folder + ")";
        }
    }

    /** What happens to a mail in an IMAP mailbox once the gateway stored it. */
    enum Processed { DELETE, MOVE, SEEN }

    SmimeSettings {
        Objects.requireNonNull(listener, "listener");
        mailboxes = List.copyOf(mailboxes);
        Objects.requireNonNull(receiptWindow, "receiptWindow");
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
    }

    Optional<Relay> relayIfConfigured() {
        return Optional.ofNullable(relay);
    }

    static SmimeSettings from(ChannelSettings settings) {
        Relay relay = settings.get("relay.host").isPresent() ? relay(settings) : null;
        Listener listener = new Listener(settings.flag("listen.enabled", true),
                settings.get("listen.host").orElse("127.0.0.1"),
                port(settings, "listen.port", DEFAULT_LISTEN_PORT, true),
                positive(settings, "listen.timeout", Duration.ofMinutes(5)));
        long max = settings.get("max-message-size").map(v -> dataSize(settings, "max-message-size", v))
                .orElse(DEFAULT_MAX_MESSAGE_BYTES);
        if (max > Integer.MAX_VALUE) {
            // the SMTP listener announces the limit in EHLO as an int (RFC 1870 SIZE)
            throw invalid(settings, "max-message-size", "must be at most 2GB, got " + max + " bytes");
        }
        Duration window = positive(settings, "receipt-window", DEFAULT_RECEIPT_WINDOW);
        Path spool = settings.get("spool-dir").map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir")));
        return new SmimeSettings(relay, listener, mailboxes(settings), max, settings.flag("require-signature", true),
                window, spool);
    }

    private static Relay relay(ChannelSettings settings) {
        Tls tls = Tls.parse(settings, "relay.tls", Tls.STARTTLS);
        int defaultPort = switch (tls) {
            case NONE -> 25;
            case STARTTLS -> 587;
            case IMPLICIT -> 465;
        };
        Optional<String> user = settings.get("relay.user");
        Secret password = secret(settings, "relay", user.isPresent());
        int pool = settings.integer("relay.pool-size", 4);
        if (pool < 1 || pool > 64) {
            throw invalid(settings, "relay.pool-size", "must be from 1 to 64, got " + pool);
        }
        return new Relay(hostName(settings, "relay.host"), port(settings, "relay.port", defaultPort, false), tls,
                user.orElse(null), password, settings.get("relay.trust-pem").map(Path::of).orElse(null),
                positive(settings, "relay.connect-timeout", Duration.ofSeconds(10)),
                positive(settings, "relay.timeout", Duration.ofSeconds(60)), pool,
                settings.get("relay.helo-name").orElse(null));
    }

    private static List<Mailbox> mailboxes(ChannelSettings settings) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : settings.values().keySet()) {
            if (key.startsWith("imap.")) {
                int dot = key.indexOf('.', 5);
                if (dot < 0) {
                    throw invalid(settings, key, "must be imap.<mailbox name>.<setting>");
                }
                names.add(key.substring(5, dot));
            }
        }
        List<Mailbox> mailboxes = new ArrayList<>();
        for (String name : names) {
            String p = "imap." + name + ".";
            Tls tls = Tls.parse(settings, p + "tls", Tls.IMPLICIT);
            int defaultPort = tls == Tls.IMPLICIT ? 993 : 143;
            String user = settings.required(p + "user");
            String processedText = settings.get(p + "processed").orElse("delete").toLowerCase(Locale.ROOT);
            Processed processed;
            String moveTo = null;
            if (processedText.equals("delete")) {
                processed = Processed.DELETE;
            } else if (processedText.equals("seen")) {
                processed = Processed.SEEN;
            } else if (processedText.startsWith("move:") && processedText.length() > 5) {
                processed = Processed.MOVE;
                moveTo = settings.get(p + "processed").orElseThrow().trim().substring(5);
            } else {
                throw invalid(settings, p + "processed", "must be delete, seen or move:<folder>, got '"
                        + processedText + "'");
            }
            String address = settings.get(p + "address").map(a -> {
                var check = MailAddresses.check(a);
                if (!check.isValid()) {
                    throw invalid(settings, p + "address", check.problem());
                }
                return check.normalized();
            }).orElse(null);
            mailboxes.add(new Mailbox(name, hostName(settings, p + "host"), port(settings, p + "port", defaultPort,
                    false), tls, user, secret(settings, "imap." + name, true),
                    settings.get(p + "folder").orElse("INBOX"), address, processed, moveTo,
                    settings.flag(p + "idle", true), settings.get(p + "trust-pem").map(Path::of).orElse(null),
                    positive(settings, p + "connect-timeout", Duration.ofSeconds(10)),
                    positive(settings, p + "timeout", Duration.ofSeconds(60))));
        }
        return mailboxes;
    }

    private static Secret secret(ChannelSettings settings, String prefix, boolean required) {
        Optional<String> file = settings.get(prefix + ".password-file");
        Optional<String> env = settings.get(prefix + ".password-env");
        if (file.isPresent() && env.isPresent()) {
            throw invalid(settings, prefix + ".password-file", "and " + prefix + ".password-env are both set; use one");
        }
        if (file.isEmpty() && env.isEmpty()) {
            if (required) {
                throw invalid(settings, prefix + ".password-file", "(or " + prefix + ".password-env) is required"
                        + " with a user name");
            }
            return null;
        }
        String description = "amtsbote.channels." + settings.channel() + "." + prefix
                + (file.isPresent() ? ".password-file" : ".password-env");
        return new Secret(description, file.map(Path::of).orElse(null), env.orElse(null));
    }

    private static String hostName(ChannelSettings settings, String key) {
        String host = settings.required(key);
        if (!host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            throw invalid(settings, key, "is not a host name or address: '" + host + "'");
        }
        return host;
    }

    private static int port(ChannelSettings settings, String key, int fallback, boolean zeroAllowed) {
        int port = settings.integer(key, fallback);
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw invalid(settings, key, "must be a port from " + (zeroAllowed ? 0 : 1) + " to 65535, got " + port);
        }
        return port;
    }

    private static Duration positive(ChannelSettings settings, String key, Duration fallback) {
        Duration d = settings.duration(key, fallback);
        if (d.isNegative() || d.isZero()) {
            throw invalid(settings, key, "must be positive, got " + d);
        }
        return d;
    }

    /** {@code 50MB}, {@code 512KB}, {@code 1GB}, or bytes: binary multiples, as Spring's DataSize reads them. */
    static long dataSize(ChannelSettings settings, String key, String value) {
        String text = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        String[] suffixes = {"GB", "MB", "KB", "B"};
        long[] units = {1L << 30, 1L << 20, 1L << 10, 1};
        for (int i = 0; i < suffixes.length; i++) {
            if (text.endsWith(suffixes[i])) {
                unit = units[i];
                text = text.substring(0, text.length() - suffixes[i].length()).trim();
                break;
            }
        }
        try {
            long amount = Long.parseLong(text);
            if (amount <= 0 || amount > Long.MAX_VALUE / unit) {
                throw invalid(settings, key, "must be positive, got '" + value + "'");
            }
            return amount * unit;
        } catch (NumberFormatException e) {
            throw invalid(settings, key, "is not a size: '" + value + "' (use 50MB, 512KB or bytes)");
        }
    }

    static IllegalArgumentException invalid(ChannelSettings settings, String key, String problem) {
        return new IllegalArgumentException("amtsbote.channels." + settings.channel() + "." + key + " " + problem);
    }
}
