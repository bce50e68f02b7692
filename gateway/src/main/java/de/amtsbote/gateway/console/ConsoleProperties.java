package de.amtsbote.gateway.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.console}: the people who may log in to the web console, with password hashes only (never
 * passwords; {@code ./amtsbote console-user} makes the line to configure), and how failed logins lock a user name. The session's
 * idle timeout is {@code server.servlet.session.timeout}.
 *
 * <pre>
 * amtsbote:
 *   console:
 *     users:
 *       - name: m.schneider
 *         password-hash: "{bcrypt}$2a$12$…"
 *         roles: [ SECURITY_OFFICER ]
 *         email: m.schneider@bad-vilbel.de      # optional: receives certificate expiry alerts
 * </pre>
 *
 * @param enabled            whether {@code /console} is served at all
 * @param users              the people and their roles
 * @param maxFailedLogins    failed logins in a row after which a user name is locked for {@code lockout}
 * @param lockout            how long a locked user name stays locked
 * @param oidc               login through the authority's identity provider instead of, or beside, local users
 */
@ConfigurationProperties("amtsbote.console")
public record ConsoleProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<User> users,
                                @DefaultValue("5") int maxFailedLogins,
                                @DefaultValue("5m") Duration lockout,
                                @DefaultValue Oidc oidc) {

    /**
     * OpenID Connect login. {@code registration} names a client registration under
     * {@code spring.security.oauth2.client.registration.<id>} (with its provider), whose redirect URI must be
     * {@code {baseUrl}/console/oauth2/code/{registrationId}}. Roles come from a claim of the ID token, mapped by
     * {@code role-mapping} (group name → role); a person whose claim maps to no role is refused.
     *
     * @param registration   the client registration id; unset: no OIDC login
     * @param rolesClaim     the ID token claim with the person's groups or roles (a string or a list of strings)
     * @param userNameClaim  the claim shown and audited as the person's name
     * @param roleMapping    claim value → console role
     */
    public record Oidc(String registration, @DefaultValue("roles") String rolesClaim,
                       @DefaultValue("preferred_username") String userNameClaim,
                       @DefaultValue Map<String, ConsoleRole> roleMapping) {

        public boolean enabled() {
            return registration != null && !registration.isBlank();
        }
    }

    /** One person: a user name, a password hash in Spring Security's {@code {id}hash} form, roles, optional mail. */
    public record User(String name, String passwordHash, @DefaultValue List<ConsoleRole> roles, String email) {
    }
}
