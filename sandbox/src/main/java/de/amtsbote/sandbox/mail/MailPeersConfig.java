package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.JsonConfig.flag;
import static de.amtsbote.sandbox.JsonConfig.keys;
import static de.amtsbote.sandbox.JsonConfig.number;
import static de.amtsbote.sandbox.JsonConfig.path;
import static de.amtsbote.sandbox.JsonConfig.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * The sandbox mail server and its peers. Everything listens on 127.0.0.1.
 *
 * @param dataDir      where each peer keeps its log ({@code <dataDir>/<address>/peer-log.jsonl}); reused across
 *                     restarts, so a redelivered message is still recognised
 * @param smtpPort     the SMTP port the peers' mailboxes receive on (demo 3025; 0: a free port)
 * @param imapPort     the IMAP port to look into the mailboxes (demo 3143; 0: a free port)
 * @param gatewayHost  the gateway's inbound SMTP host, where receipts and the peers' mail go (demo 127.0.0.1)
 * @param gatewayPort  the gateway's inbound SMTP port (demo 2525)
 * @param trustAnchors a PEM file with the CA certificates the peers trust for the gateway's certificates
 * @param revocation   how certificates are checked for revocation
 * @param peers        the peers, each with its own mailbox and key
 * @param clock        the source of every time stamp
 */
public record MailPeersConfig(Path dataDir, int smtpPort, int imapPort, String gatewayHost, int gatewayPort,
                              Path trustAnchors, RevocationMode revocation, List<MailPeerConfig> peers, Clock clock) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TOP_KEYS = Set.of("data-dir", "smtp-port", "imap-port", "gateway-smtp",
            "trust-anchors", "revocation", "peers");
    private static final Set<String> PEER_KEYS = Set.of("address", "name", "password", "certificate", "key",
            "receipts", "sign-receipts", "ess-receipts");

    public MailPeersConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(gatewayHost, "gatewayHost");
        Objects.requireNonNull(trustAnchors, "trustAnchors");
        Objects.requireNonNull(revocation, "revocation");
        Objects.requireNonNull(clock, "clock");
        peers = List.copyOf(peers);
        port(smtpPort, "SMTP port", true);
        port(imapPort, "IMAP port", true);
        port(gatewayPort, "gateway SMTP port", false);
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("the mail sandbox needs at least one peer");
        }
        Set<String> seen = new HashSet<>();
        for (MailPeerConfig p : peers) {
            if (!seen.add(p.address())) {
                throw new IllegalArgumentException("mail peer " + p.address() + " is configured twice");
            }
        }
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** The configured peer with this address. */
    public MailPeerConfig peer(String address) {
        return peers.stream().filter(p -> p.address().equalsIgnoreCase(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mail peer " + address + " is configured"));
    }

    /**
     * Reads a JSON configuration file; relative paths in it are resolved against the file's directory:
     *
     * <pre>{@code
     * {
     *   "data-dir": "peers/mail",
     *   "smtp-port": 3025, "imap-port": 3143,
     *   "gateway-smtp": "127.0.0.1:2525",
     *   "trust-anchors": "pki/ca.pem",
     *   "revocation": "auto",
     *   "peers": [
     *     {"address": "poststelle@viernheim.example", "name": "Stadt Viernheim", "password": "demo",
     *      "certificate": "pki/poststelle-viernheim.pem", "key": "pki/poststelle-viernheim.key.pem",
     *      "receipts": "after:15s", "sign-receipts": true, "ess-receipts": true}
     *   ]
     * }
     * }</pre>
     *
     * Unknown keys are refused (a misspelt key would otherwise silently fall back to its default).
     */
    public static MailPeersConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        Path base = file.toAbsolutePath().getParent();
        String where = file.toString();
        keys(root, TOP_KEYS, where);
        Builder b = builder(path(base, text(root, "data-dir", where, "data/mail")));
        b.smtpPort(number(root, "smtp-port", where, 3025));
        b.imapPort(number(root, "imap-port", where, 3143));
        String gateway = text(root, "gateway-smtp", where, "127.0.0.1:2525");
        int colon = gateway.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(where + ": gateway-smtp must be host:port, not '" + gateway + "'");
        }
        try {
            b.gatewaySmtp(gateway.substring(0, colon), Integer.parseInt(gateway.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": gateway-smtp must be host:port, not '" + gateway + "'");
        }
        String anchors = text(root, "trust-anchors", where, null);
        if (anchors == null) {
            throw new IllegalArgumentException(where + ": trust-anchors (a PEM file of CA certificates) is required");
        }
        b.trustAnchors(path(base, anchors));
        b.revocation(RevocationMode.parse(text(root, "revocation", where, "auto")));
        JsonNode peers = root.get("peers");
        if (peers == null || !peers.isArray()) {
            throw new IllegalArgumentException(where + ": peers must be a list");
        }
        int i = 0;
        for (JsonNode p : peers) {
            String at = where + " peers[" + i++ + "]";
            if (!p.isObject()) {
                throw new IllegalArgumentException(at + " must be an object");
            }
            keys(p, PEER_KEYS, at);
            String address = text(p, "address", at, null);
            if (address == null) {
                throw new IllegalArgumentException(at + ": address is required");
            }
            MailPeerConfig.Builder peer = MailPeerConfig.builder(address).name(text(p, "name", at, null))
                    .password(text(p, "password", at, null))
                    .receipts(ReceiptMode.parse(text(p, "receipts", at, "at-once")))
                    .signReceipts(flag(p, "sign-receipts", at, true))
                    .essReceipts(flag(p, "ess-receipts", at, false));
            String cert = text(p, "certificate", at, null);
            String key = text(p, "key", at, null);
            if (cert == null || key == null) {
                throw new IllegalArgumentException(at + ": certificate and key (PEM files) are required");
            }
            peer.certificate(path(base, cert)).key(path(base, key));
            b.peer(peer.build());
        }
        return b.build();
    }






    private static void port(int port, String what, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(what + " must be " + (zeroAllowed ? "0 (a free port)" : "1") + " to 65535, "
                    + "not " + port);
        }
    }

    /** Builds a {@link MailPeersConfig}; defaults: SMTP 3025, IMAP 3143, gateway 127.0.0.1:2525, revocation auto. */
    public static final class Builder {
        private final Path dataDir;
        private int smtpPort = 3025;
        private int imapPort = 3143;
        private String gatewayHost = "127.0.0.1";
        private int gatewayPort = 2525;
        private Path trustAnchors;
        private RevocationMode revocation = RevocationMode.AUTO;
        private final List<MailPeerConfig> peers = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder smtpPort(int port) {
            this.smtpPort = port;
            return this;
        }

        public Builder imapPort(int port) {
            this.imapPort = port;
            return this;
        }

        /** Where receipts and the peers' own mail go: the gateway's inbound SMTP listener. */
        public Builder gatewaySmtp(String host, int port) {
            this.gatewayHost = host;
            this.gatewayPort = port;
            return this;
        }

        public Builder trustAnchors(Path pemFile) {
            this.trustAnchors = pemFile;
            return this;
        }

        public Builder revocation(RevocationMode revocation) {
            this.revocation = revocation;
            return this;
        }

        public Builder peer(MailPeerConfig peer) {
            peers.add(Objects.requireNonNull(peer, "peer"));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public MailPeersConfig build() {
            return new MailPeersConfig(dataDir, smtpPort, imapPort, gatewayHost, gatewayPort, trustAnchors, revocation,
                    peers, clock);
        }
    }
}
