package de.amtsbote.sandbox.demail;

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
 * The sandbox De-Mail network: several providers in one process. See the package documentation for the JSON form.
 *
 * @param dataDir         where each provider writes its log ({@code <dataDir>/<provider>/demail-log.jsonl}) and
 *                        spools submissions
 * @param maxMessageBytes the size limit announced as {@code SIZE} in EHLO and enforced at MAIL and DATA
 * @param dedupWindow     how long {@code (account, Message-ID)} is remembered (24 h)
 * @param httpPort        port of the HTTP endpoint on 127.0.0.1; 0: a free port; -1: no endpoint
 * @param trustAnchors    PEM of the CA certificates end-to-end S/MIME certificates must chain to (null: the De-Mail
 *                        clients' own CAs are not checked, end-to-end encryption from sandbox mailboxes is off)
 * @param providers       the providers
 * @param clock           the source of every time stamp
 */
public record DeMailConfig(Path dataDir, long maxMessageBytes, Duration dedupWindow, int httpPort, Path trustAnchors,
                           List<ProviderConfig> providers, Clock clock) {

    /** 45 MiB: the TR's inter-provider minimum (PVD FU §3.3). */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 45L * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public DeMailConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(clock, "clock");
        providers = List.copyOf(providers);
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("the De-Mail sandbox needs at least one provider");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max message size must be at least 1024 bytes, not " + maxMessageBytes);
        }
        if (httpPort != -1) {
            port(httpPort, "HTTP port");
        }
        Set<String> names = new HashSet<>();
        Set<String> domains = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (ProviderConfig p : providers) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("provider " + p.name() + " is configured twice");
            }
            for (String d : p.domains()) {
                if (!domains.add(d)) {
                    throw new IllegalArgumentException("domain " + d + " is served by two providers");
                }
            }
            p.accounts().forEach(a -> a.addresses().forEach(x -> unique(addresses, x)));
            p.mailboxes().forEach(m -> unique(addresses, m.address()));
        }
    }

    private static void unique(Set<String> seen, String address) {
        if (!seen.add(address)) {
            throw new IllegalArgumentException(address + " is configured twice (accounts and mailboxes share addresses)");
        }
    }

    static void port(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be 0 (a free port) to 65535, not " + port);
        }
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** The configured provider with this name. */
    public ProviderConfig provider(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no De-Mail provider " + name + " is configured"));
    }

    /** Builds a {@link DeMailConfig}; defaults: 45 MiB, dedup 24 h, no HTTP endpoint, system UTC clock. */
    public static final class Builder {
        private final Path dataDir;
        private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private Duration dedupWindow = Duration.ofHours(24);
        private int httpPort = -1;
        private Path trustAnchors;
        private final List<ProviderConfig> providers = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder maxMessageBytes(long bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        public Builder dedupWindow(Duration window) {
            this.dedupWindow = window;
            return this;
        }

        /** Serves the HTTP endpoint on 127.0.0.1 (0: a free port). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** CA certificates that end-to-end S/MIME certificates (of the gateway's participants) must chain to. */
        public Builder trustAnchors(Path pem) {
            this.trustAnchors = pem;
            return this;
        }

        public Builder provider(ProviderConfig provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public DeMailConfig build() {
            return new DeMailConfig(dataDir, maxMessageBytes, dedupWindow, httpPort, trustAnchors, providers, clock);
        }
    }

    // ------------------------------------------------------------------ JSON

    private static final Set<String> TOP = Set.of("data-dir", "pki-dir", "max-message-bytes", "http-port",
            "trust-anchors", "providers");
    private static final Set<String> PROVIDER = Set.of("name", "dmda-domain", "domains", "smtp-port", "imap-port",
            "signing-certificate", "signing-key", "tls-certificate", "tls-key", "client-ca", "accounts", "mailboxes");
    private static final Set<String> ACCOUNT = Set.of("id", "holder", "public-body", "client-certificates",
            "client-fingerprints", "addresses", "password");
    private static final Set<String> MAILBOX = Set.of("address", "holder", "password", "closed", "public-body",
            "secure-login", "encryption-certificate", "encryption-key");

    /**
     * Reads the JSON configuration (see the package documentation); relative paths are resolved against the file's
     * directory. With {@code pki-dir}, PEM files a provider does not name are taken from (and generated into) a
     * {@link DeMailPki} there. Unknown keys are refused.
     */
    public static DeMailConfig read(Path file) throws IOException {
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
        Builder b = builder(path(base, text(root, "data-dir", where, "data/demail")));
        JsonNode max = root.get("max-message-bytes");
        if (max != null) {
            if (!max.canConvertToLong()) {
                throw new IllegalArgumentException(where + ": max-message-bytes must be a whole number");
            }
            b.maxMessageBytes(max.asLong());
        }
        b.httpPort(number(root, "http-port", where, -1));
        String anchors = text(root, "trust-anchors", where, null);
        if (anchors != null) {
            b.trustAnchors(path(base, anchors));
        }
        String pkiDir = text(root, "pki-dir", where, null);
        DeMailPki pki = pkiDir == null ? null : DeMailPki.generateOrLoad(path(base, pkiDir), Clock.systemUTC());
        for (JsonNode p : list(root, "providers", where)) {
            String at = where + " provider " + text(p, "name", where, "?");
            keys(p, PROVIDER, at);
            ProviderConfig.Builder pb = ProviderConfig.builder(required(p, "name", at), required(p, "dmda-domain", at))
                    .smtpPort(number(p, "smtp-port", at, 0)).imapPort(number(p, "imap-port", at, 0));
            for (JsonNode d : list(p, "domains", at)) {
                pb.domain(d.asString());
            }
            if (p.has("signing-certificate") || p.has("signing-key")) {
                pb.signing(path(base, required(p, "signing-certificate", at)), path(base, required(p, "signing-key", at)));
            }
            if (p.has("tls-certificate") || p.has("tls-key")) {
                pb.tls(path(base, required(p, "tls-certificate", at)), path(base, required(p, "tls-key", at)));
            }
            if (p.has("client-ca")) {
                pb.clientCa(path(base, required(p, "client-ca", at)));
            }
            if (pki != null) {
                pb.pki(pki);
            }
            for (JsonNode a : list(p, "accounts", at)) {
                String aat = at + " account " + text(a, "id", at, "?");
                keys(a, ACCOUNT, aat);
                AccountConfig.Builder ab = AccountConfig.builder(required(a, "id", aat))
                        .holder(text(a, "holder", aat, null)).publicBody(flag(a, "public-body", aat, false))
                        .password(text(a, "password", aat, "demo"));
                list(a, "client-certificates", aat).forEach(c -> ab.clientCertificate(path(base, c.asString())));
                list(a, "client-fingerprints", aat).forEach(c -> ab.clientFingerprint(c.asString()));
                list(a, "addresses", aat).forEach(c -> ab.address(c.asString()));
                pb.account(ab.build());
            }
            for (JsonNode m : list(p, "mailboxes", at)) {
                String mat = at + " mailbox " + text(m, "address", at, "?");
                keys(m, MAILBOX, mat);
                MailboxConfig.Builder mb = MailboxConfig.builder(required(m, "address", mat))
                        .holder(text(m, "holder", mat, null)).password(text(m, "password", mat, "demo"))
                        .closed(flag(m, "closed", mat, false)).publicBody(flag(m, "public-body", mat, false))
                        .secureLogin(SecureLoginTimer.parse(text(m, "secure-login", mat, "never")));
                String cert = text(m, "encryption-certificate", mat, null);
                String key = text(m, "encryption-key", mat, null);
                if (cert != null || key != null) {
                    if (cert == null || key == null) {
                        throw new IllegalArgumentException(mat + ": encryption-certificate and encryption-key come together");
                    }
                    mb.encryption(path(base, cert), path(base, key));
                }
                pb.mailbox(mb.build());
            }
            b.provider(pb.build());
        }
        return b.build();
    }







}
