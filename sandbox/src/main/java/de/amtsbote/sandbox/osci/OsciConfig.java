package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.JsonConfig.flag;
import static de.amtsbote.sandbox.JsonConfig.keys;
import static de.amtsbote.sandbox.JsonConfig.list;
import static de.amtsbote.sandbox.JsonConfig.number;
import static de.amtsbote.sandbox.JsonConfig.path;
import static de.amtsbote.sandbox.JsonConfig.required;
import static de.amtsbote.sandbox.JsonConfig.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox OSCI world: intermediaries, the mailboxes of the directory, where files go. See the package
 * documentation for the JSON form.
 *
 * @param dataDir        stored deliveries ({@code <dataDir>/<intermediary>/…}), logs, the played mailboxes' received
 *                       files ({@code <dataDir>/peers/<id>/…})
 * @param pkiDir         where certificates not given are generated and reused ({@link OsciPki}); null: none are
 *                       generated, every certificate must be given
 * @param httpPort       the one HTTP port for every intermediary and the directory, on 127.0.0.1 (0: a free port)
 * @param trustAnchors   PEM files of CA certificates every certificate is validated against (the PKI's root is added)
 * @param pollInterval   how often played mailboxes fetch on their own; zero: only when triggered
 * @param intermediaries the intermediaries
 * @param mailboxes      the directory's mailboxes
 * @param clock          every time stamp and every time check
 */
public record OsciConfig(Path dataDir, Path pkiDir, int httpPort, List<Path> trustAnchors, Duration pollInterval,
                         List<IntermediaryConfig> intermediaries, List<OsciMailboxConfig> mailboxes, Clock clock) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public OsciConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pollInterval, "pollInterval");
        trustAnchors = List.copyOf(trustAnchors);
        intermediaries = List.copyOf(intermediaries);
        mailboxes = List.copyOf(mailboxes);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("http-port must be 0 (a free port) to 65535, not " + httpPort);
        }
        if (intermediaries.isEmpty()) {
            throw new IllegalArgumentException("the OSCI sandbox needs at least one intermediary");
        }
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("the poll interval cannot be negative");
        }
        Set<String> names = new HashSet<>();
        for (IntermediaryConfig i : intermediaries) {
            if (!names.add(i.name())) {
                throw new IllegalArgumentException("intermediary " + i.name() + " is configured twice");
            }
        }
        Set<String> ids = new HashSet<>();
        for (OsciMailboxConfig m : mailboxes) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("mailbox " + m.id() + " is configured twice");
            }
            if (!names.contains(m.intermediary())) {
                throw new IllegalArgumentException("mailbox " + m.id() + " names intermediary " + m.intermediary()
                        + ", which is not configured (there are " + names + ")");
            }
        }
        if (pkiDir == null && trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("without a PKI directory the OSCI sandbox needs trust anchors");
        }
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Defaults: PKI in {@code <dataDir>/pki}, a free port, fetch every second, system UTC clock. */
    public static final class Builder {
        private final Path dataDir;
        private Path pkiDir;
        private int httpPort;
        private final List<Path> trustAnchors = new ArrayList<>();
        private Duration pollInterval = Duration.ofSeconds(1);
        private final List<IntermediaryConfig> intermediaries = new ArrayList<>();
        private final List<OsciMailboxConfig> mailboxes = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
            this.pkiDir = dataDir.resolve("pki");
        }

        /** Where missing certificates are generated; null: generate none. */
        public Builder pkiDir(Path dir) {
            this.pkiDir = dir;
            return this;
        }

        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** A PEM file of CA certificates to validate against (the gateway's test CA, for its participants). */
        public Builder trustAnchors(Path pem) {
            trustAnchors.add(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        public Builder intermediary(IntermediaryConfig intermediary) {
            intermediaries.add(Objects.requireNonNull(intermediary, "intermediary"));
            return this;
        }

        public Builder mailbox(OsciMailboxConfig mailbox) {
            mailboxes.add(Objects.requireNonNull(mailbox, "mailbox"));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public OsciConfig build() {
            return new OsciConfig(dataDir, pkiDir, httpPort, trustAnchors, pollInterval, intermediaries, mailboxes,
                    clock);
        }
    }

    // ------------------------------------------------------------------ JSON

    private static final Set<String> TOP = Set.of("data-dir", "pki-dir", "http-port", "trust-anchors",
            "poll-interval", "intermediaries", "mailboxes");
    private static final Set<String> INTERMEDIARY = Set.of("name", "certificate", "key", "max-bytes");
    private static final Set<String> MAILBOX = Set.of("id", "name", "intermediary", "bebpo", "played", "acknowledge",
            "encryption-certificate", "encryption-key", "signature-certificate", "signature-key",
            "origin-certificate", "origin-key");

    /**
     * Reads the JSON configuration (see the package documentation); relative paths are resolved against the file's
     * directory. Unknown keys are refused.
     */
    public static OsciConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        String where = file.toString();
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + " must hold a JSON object");
        }
        Path base = file.toAbsolutePath().getParent();
        keys(root, TOP, where);
        Builder b = builder(path(base, text(root, "data-dir", where, "data/osci")));
        String pki = text(root, "pki-dir", where, null);
        b.pkiDir(pki == null ? null : path(base, pki));
        b.httpPort(number(root, "http-port", where, 0));
        list(root, "trust-anchors", where).forEach(a -> b.trustAnchors(path(base, a.asString())));
        b.pollInterval(AckMode.duration(text(root, "poll-interval", where, "1s"), where + ": poll-interval"));
        for (JsonNode i : list(root, "intermediaries", where)) {
            String at = where + " intermediary " + text(i, "name", where, "?");
            keys(i, INTERMEDIARY, at);
            String cert = text(i, "certificate", at, null);
            String key = text(i, "key", at, null);
            JsonNode max = i.get("max-bytes");
            long maxBytes = IntermediaryConfig.DEFAULT_MAX_BYTES;
            if (max != null) {
                if (!max.canConvertToLong()) {
                    throw new IllegalArgumentException(at + ": max-bytes must be a whole number");
                }
                maxBytes = max.asLong();
            }
            b.intermediary(new IntermediaryConfig(required(i, "name", at), cert == null ? null : path(base, cert),
                    key == null ? null : path(base, key), maxBytes));
        }
        for (JsonNode m : list(root, "mailboxes", where)) {
            String at = where + " mailbox " + text(m, "id", where, "?");
            keys(m, MAILBOX, at);
            boolean played = flag(m, "played", at, true);
            OsciMailboxConfig.Builder mb = played ? OsciMailboxConfig.played(required(m, "id", at),
                    required(m, "intermediary", at)) : OsciMailboxConfig.external(required(m, "id", at),
                    required(m, "intermediary", at));
            mb.name(text(m, "name", at, null)).bebpo(flag(m, "bebpo", at, false))
                    .acknowledge(AckMode.parse(text(m, "acknowledge", at, "at-once")));
            mb.encryption(file(base, m, "encryption-certificate", at), file(base, m, "encryption-key", at));
            mb.signature(file(base, m, "signature-certificate", at), file(base, m, "signature-key", at));
            Path originCert = file(base, m, "origin-certificate", at);
            if (originCert != null || m.has("origin-key")) {
                mb.origin(originCert, file(base, m, "origin-key", at));
            }
            try {
                b.mailbox(mb.build());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Path file(Path base, JsonNode node, String key, String where) {
        String v = text(node, key, where, null);
        return v == null ? null : path(base, v);
    }
}
