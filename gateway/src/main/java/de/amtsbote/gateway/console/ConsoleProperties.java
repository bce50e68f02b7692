package de.amtsbote.gateway.console;

import java.time.Duration;
import java.util.List;
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
 */
@ConfigurationProperties("amtsbote.console")
public record ConsoleProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<User> users,
                                @DefaultValue("5") int maxFailedLogins,
                                @DefaultValue("5m") Duration lockout) {

    /** One person: a user name, a password hash in Spring Security's {@code {id}hash} form, roles, optional mail. */
    public record User(String name, String passwordHash, @DefaultValue List<ConsoleRole> roles, String email) {
    }
}
