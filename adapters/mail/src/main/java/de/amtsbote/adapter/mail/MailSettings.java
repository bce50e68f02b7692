package de.amtsbote.adapter.mail;

import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.spi.AddressCheck;
import de.amtsbote.spi.ChannelSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Settings that every mail-based channel (S/MIME e-mail, De-Mail) reads the same way: how a connection is protected,
 * where a password comes from, the IMAP mailboxes under {@code imap.<name>.*}, and the checked readers of host names,
 * ports, durations and sizes. A bad value fails at start-up with a message naming the full key
 * ({@code amtsbote.channels.<channel>.<key>}).
 */
public final class MailSettings {

    private MailSettings() {
    }

    /** How a connection is protected. */
    public enum Tls {
        /** Plain SMTP/IMAP: only for loopback or a network the operator trusts. */
        NONE,
        /** Plain connect, then STARTTLS, which must succeed (the connection fails otherwise). */
        STARTTLS,
        /** TLS from the first byte (SMTPS 465, IMAPS 993). */
        IMPLICIT;

        /** Reads {@code none}, {@code starttls} or {@code implicit} (also {@code tls}, {@code ssl}). */
        public static Tls parse(ChannelSettings settings, String key, Tls fallback) {
            return settings.get(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "starttls" -> STARTTLS;
                case "implicit", "tls", "ssl" -> IMPLICIT;
                default -> throw invalid(settings, key, "must be none, starttls or implicit, got '" + v + "'");
            }).orElse(fallback);
        }
    }

    /** Where a password comes from: a file or an environment variable, never the configuration itself. */
    public record Secret(String description, Path file, String environment) {
        /** The password; the caller overwrites the array when done. */
        public char[] read() {
            try {
                return (file != null ? SecretSource.file(file) : SecretSource.environment(environment)).read();
            } catch (KeyVaultException e) {
                throw new IllegalStateException(description + ": " + e.getMessage(), e);
            }
        }
    }

    /** What happens to a mail in an IMAP mailbox once the gateway stored it. */
    public enum Processed { DELETE, MOVE, SEEN }

    /**
     * An IMAP mailbox on a mail server (the authority's, or its De-Mail provider's) that is polled for mail.
     *
     * @param channel the channel whose settings it comes from, for messages naming a key
     * @param address the participant address the mailbox belongs to, or null (then the mail's To and Cc decide)
     */
    public record Mailbox(String channel, String name, String host, int port, Tls tls, String user, Secret password,
                          String folder, String address, Processed processed, String moveTo, boolean idle,
                          Path trustPem, Duration connectTimeout, Duration timeout) {
        public String describe() {
            return "IMAP mailbox '" + name + "' (" + user + "@" + host + ":" + port + "/" + folder + ")";
        }

        /** The full name of one of this mailbox's settings, for messages. */
        public String setting(String key) {
            return "amtsbote.channels." + channel + ".imap." + name + "." + key;
        }
    }

    /**
     * Reads the mailboxes configured under {@code imap.<name>.*}: {@code host}, {@code port} (993 / 143),
     * {@code tls} (implicit), {@code user}, {@code password-file} | {@code password-env}, {@code folder} (INBOX),
     * {@code address}, {@code processed} (delete | seen | move:&lt;folder&gt;), {@code idle} (true),
     * {@code trust-pem}, {@code connect-timeout} (10s), {@code timeout} (60s).
     *
     * @param addressCheck checks and normalises the {@code address} of a mailbox by the channel's address rules
     */
    public static List<Mailbox> mailboxes(ChannelSettings settings, Function<String, AddressCheck> addressCheck) {
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
                AddressCheck check = addressCheck.apply(a);
                if (!check.isValid()) {
                    throw invalid(settings, p + "address", check.problem());
                }
                return check.normalized();
            }).orElse(null);
            mailboxes.add(new Mailbox(settings.channel(), name, hostName(settings, p + "host"),
                    port(settings, p + "port", defaultPort, false), tls, user, secret(settings, "imap." + name, true),
                    settings.get(p + "folder").orElse("INBOX"), address, processed, moveTo,
                    settings.flag(p + "idle", true), settings.get(p + "trust-pem").map(Path::of).orElse(null),
                    positive(settings, p + "connect-timeout", Duration.ofSeconds(10)),
                    positive(settings, p + "timeout", Duration.ofSeconds(60))));
        }
        return mailboxes;
    }

    /**
     * The password under {@code <prefix>.password-file} or {@code <prefix>.password-env} (one of them), or null when
     * neither is set and none is required.
     */
    public static Secret secret(ChannelSettings settings, String prefix, boolean required) {
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

    /** A required host name or address. */
    public static String hostName(ChannelSettings settings, String key) {
        String host = settings.required(key);
        if (!host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            throw invalid(settings, key, "is not a host name or address: '" + host + "'");
        }
        return host;
    }

    /** A port number; 0 (a free port, for tests) only where {@code zeroAllowed}. */
    public static int port(ChannelSettings settings, String key, int fallback, boolean zeroAllowed) {
        int port = settings.integer(key, fallback);
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw invalid(settings, key, "must be a port from " + (zeroAllowed ? 0 : 1) + " to 65535, got " + port);
        }
        return port;
    }

    /** A positive duration. */
    public static Duration positive(ChannelSettings settings, String key, Duration fallback) {
        Duration d = settings.duration(key, fallback);
        if (d.isNegative() || d.isZero()) {
            throw invalid(settings, key, "must be positive, got " + d);
        }
        return d;
    }

    /** {@code 50MB}, {@code 512KB}, {@code 1GB}, or bytes: binary multiples, as Spring's DataSize reads them. */
    public static long dataSize(ChannelSettings settings, String key, String value) {
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

    /** The start-up failure for a bad setting, naming its full key. */
    public static IllegalArgumentException invalid(ChannelSettings settings, String key, String problem) {
        return new IllegalArgumentException("amtsbote.channels." + settings.channel() + "." + key + " " + problem);
    }
}
