package de.amtsbote.gateway.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.clients}: the client systems and the SHA-256 of their bearer tokens. Tokens themselves are never
 * configured or stored; {@code ./amtsbote client-token} makes a new token and prints the line to configure.
 *
 * <pre>
 * amtsbote:
 *   clients:
 *     - id: fachverfahren-bauamt
 *       token-sha256: 3f1c…(64 hex digits)
 *       participants: [ stadt-bad-vilbel ]
 * </pre>
 */
@ConfigurationProperties("amtsbote")
public record ClientProperties(@DefaultValue List<Entry> clients) {

    public record Entry(String id, String tokenSha256, @DefaultValue List<String> participants,
                        @DefaultValue List<String> roles) {
    }
}
