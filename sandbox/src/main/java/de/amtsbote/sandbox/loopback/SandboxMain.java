package de.amtsbote.sandbox.loopback;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a loopback peer by hand and runs it until the process is stopped:
 *
 * <pre>
 * java -cp … de.amtsbote.sandbox.loopback.SandboxMain --data=data/loopback --port=8181 \
 *      --mailboxes=poststelle,buergerbuero --domain=loopback.example --store-content=true --read-after=30s
 * </pre>
 *
 * Every option has a default: a free port, {@code data/loopback}, the two mailboxes above, content stored, no
 * automatic reading. The first line printed is the peer's URL, for scripts. {@link de.amtsbote.sandbox.Sandbox} starts
 * the loopback peer with the same options and the mail peers next to it.
 */
public final class SandboxMain {

    private static final Set<String> OPTIONS =
            Set.of("data", "port", "mailboxes", "domain", "store-content", "read-after");

    private SandboxMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options;
        LoopbackPeer.Config config;
        try {
            options = parse(args);
            config = config(options);
        } catch (IllegalArgumentException e) {
            System.err.println("loopback peer: " + e.getMessage());
            System.err.println("usage: SandboxMain [--data=DIR] [--port=N] [--mailboxes=a,b] [--domain=NAME]"
                    + " [--store-content=true|false] [--read-after=30s]");
            System.exit(2);
            return;
        }
        LoopbackPeer peer = new LoopbackPeer(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            peer.close();
            stopped.countDown();
        }, "loopback-peer-shutdown"));
        System.out.println(peer.baseUri());
        System.out.println("loopback peer: mailboxes " + String.join(", ", config.mailboxes()) + " at "
                + config.domain() + ", data in " + config.dataDir().toAbsolutePath() + "; Ctrl-C stops it");
        stopped.await();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("arguments are --key=value, got '" + arg + "'");
            }
            String key = arg.substring(2, equals);
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            options.put(key, arg.substring(equals + 1));
        }
        return options;
    }

    /**
     * The loopback peer's configuration from options without their {@code --} ({@code data}, {@code port},
     * {@code mailboxes}, {@code domain}, {@code store-content}, {@code read-after}); also used by the common
     * {@link de.amtsbote.sandbox.Sandbox} entry point.
     */
    public static LoopbackPeer.Config config(Map<String, String> options) {
        LoopbackPeer.Builder builder = LoopbackPeer.builder(Path.of(options.getOrDefault("data", "data/loopback")));
        if (options.containsKey("port")) {
            try {
                builder.port(Integer.parseInt(options.get("port")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port must be a number, got '" + options.get("port") + "'");
            }
        }
        if (options.containsKey("mailboxes")) {
            builder.mailboxes(new LinkedHashSet<>(List.of(options.get("mailboxes").split(","))));
        }
        if (options.containsKey("domain")) {
            builder.domain(options.get("domain"));
        }
        if (options.containsKey("store-content")) {
            String value = options.get("store-content").toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("--store-content must be true or false, got '" + value + "'");
            }
            builder.storeContent(Boolean.parseBoolean(value));
        }
        if (options.containsKey("read-after")) {
            builder.readAfter(duration(options.get("read-after")));
        }
        return builder.config();
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m} or ISO-8601 ({@code PT30S}). */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            switch (value.charAt(value.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                default:
                    throw new IllegalArgumentException("--read-after is not a duration: '" + text + "'");
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--read-after is not a duration: '" + text + "' (use 30s or PT30S)");
        }
    }
}
