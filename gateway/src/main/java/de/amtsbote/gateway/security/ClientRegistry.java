package de.amtsbote.gateway.security;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Finds the client system a bearer token belongs to. Tokens are 256-bit random values, so a plain SHA-256 is
 * enough to store them safely (a slow password hash protects guessable secrets, not random ones), and looking
 * up the digest of the presented token compares nothing secret in variable time.
 */
@Component
public class ClientRegistry {

    private static final Logger log = LoggerFactory.getLogger(ClientRegistry.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> KNOWN_ROLES = Set.of(ClientSystem.MONITORING, ClientSystem.AUDITOR,
            ClientSystem.SECURITY_OFFICER);

    private final Map<String, ClientSystem> byTokenDigest = new HashMap<>();

    public ClientRegistry(ClientProperties properties, ParticipantDirectory participants) {
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (ClientProperties.Entry entry : properties.clients()) {
            String where = "amtsbote.clients[" + index++ + "]";
            if (entry.id() == null || entry.id().isBlank() || !ids.add(entry.id())) {
                throw new IllegalStateException(where + ".id is missing or used twice: '" + entry.id() + "'");
            }
            String digest = entry.tokenSha256() == null ? "" : entry.tokenSha256().trim().toLowerCase();
            if (!HEX64.matcher(digest).matches()) {
                throw new IllegalStateException(where + " (" + entry.id() + ").token-sha256 must be 64 hex digits;"
                        + " create a token with './amtsbote client-token'");
            }
            for (String participant : entry.participants()) {
                Participant p = participants.find(participant).orElseThrow(() -> new IllegalStateException(
                        where + " (" + entry.id() + "): unknown participant '" + participant + "'"));
                if (!p.own()) {
                    throw new IllegalStateException(where + " (" + entry.id() + "): participant '" + participant
                            + "' is not served by this gateway (own: false)");
                }
            }
            for (String role : entry.roles()) {
                if (!KNOWN_ROLES.contains(role)) {
                    throw new IllegalStateException(where + " (" + entry.id() + "): unknown role '" + role
                            + "', known: " + KNOWN_ROLES);
                }
            }
            if (byTokenDigest.putIfAbsent(digest, new ClientSystem(entry.id(), Set.copyOf(entry.participants()),
                    Set.copyOf(entry.roles()))) != null) {
                throw new IllegalStateException(where + " (" + entry.id() + ") has the same token as another client");
            }
        }
        if (byTokenDigest.isEmpty()) {
            log.warn("no client systems are configured (amtsbote.clients): the API will refuse every request");
        }
    }

    public Optional<ClientSystem> byToken(String token) {
        return Optional.ofNullable(byTokenDigest.get(digestOf(token)));
    }

    public static String digestOf(String token) {
        return ContentDigester.hexOf(token.getBytes(StandardCharsets.UTF_8));
    }
}
