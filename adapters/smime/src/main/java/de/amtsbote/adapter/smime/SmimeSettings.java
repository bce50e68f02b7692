package de.amtsbote.adapter.smime;

import static de.amtsbote.adapter.mail.MailSettings.dataSize;
import static de.amtsbote.adapter.mail.MailSettings.hostName;
import static de.amtsbote.adapter.mail.MailSettings.port;
import static de.amtsbote.adapter.mail.MailSettings.positive;
import static de.amtsbote.adapter.mail.MailSettings.secret;

import de.amtsbote.adapter.mail.MailAddresses;
import de.amtsbote.adapter.mail.MailSettings;
import de.amtsbote.adapter.mail.MailSettings.Mailbox;
import de.amtsbote.adapter.mail.MailSettings.Secret;
import de.amtsbote.adapter.mail.MailSettings.Tls;
import de.amtsbote.spi.ChannelSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The S/MIME channel's configuration, read from {@code amtsbote.channels.smime.*}. Every key is documented in
 * {@link SmimeAdapterProvider}; a bad value fails at start-up with a message naming the key.
 */
record SmimeSettings(Relay relay, Listener listener, List<Mailbox> mailboxes, long maxMessageBytes,
                     boolean requireSignature, Duration receiptWindow, Path spoolDirectory) {

    static final long DEFAULT_MAX_MESSAGE_BYTES = 50L << 20;
    static final Duration DEFAULT_RECEIPT_WINDOW = Duration.ofDays(90);
    static final int DEFAULT_LISTEN_PORT = 2525;

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
        return new SmimeSettings(relay, listener, MailSettings.mailboxes(settings, MailAddresses::check), max,
                settings.flag("require-signature", true), window, spool);
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

    static IllegalArgumentException invalid(ChannelSettings settings, String key, String problem) {
        return MailSettings.invalid(settings, key, problem);
    }
}
