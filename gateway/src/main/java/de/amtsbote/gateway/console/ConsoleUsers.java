package de.amtsbote.gateway.console;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The console's people from {@code amtsbote.console.users}, checked at start: every user has a name, at least one
 * role and a password hash of an accepted scheme. Plain-text ({@code {noop}}) and broken schemes (MD5, SHA-1) stop the
 * start: a configuration that would let a copied file reveal a password is refused, not warned about.
 *
 * <p>Also counts failed logins per user name and locks a name for a while after too many in a row, so that passwords
 * cannot be guessed at network speed.
 */
public final class ConsoleUsers implements UserDetailsService {

    /** Schemes whose hashes resist offline guessing (Spring Security's {@code DelegatingPasswordEncoder} ids). */
    static final List<String> ACCEPTED_SCHEMES = List.of("bcrypt", "argon2", "argon2@SpringSecurity_v5_8", "scrypt",
            "scrypt@SpringSecurity_v5_8", "pbkdf2", "pbkdf2@SpringSecurity_v5_8");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    private final Map<String, ConsoleProperties.User> users = new LinkedHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final int maxFailed;
    private final java.time.Duration lockout;
    private final Clock clock;

    public ConsoleUsers(ConsoleProperties properties, Clock clock) {
        this.maxFailed = properties.maxFailedLogins();
        this.lockout = properties.lockout();
        this.clock = clock;
        int i = 0;
        for (ConsoleProperties.User u : properties.users()) {
            String where = "amtsbote.console.users[" + i++ + "]";
            if (u.name() == null || !NAME.matcher(u.name()).matches()) {
                throw new IllegalStateException(where + ".name must be 1 to 100 letters, digits, '.', '_', '@' or '-'");
            }
            if (u.roles().isEmpty()) {
                throw new IllegalStateException(where + " (" + u.name() + ") has no roles: give SECURITY_OFFICER,"
                        + " OPERATOR or AUDITOR");
            }
            String scheme = scheme(u.passwordHash());
            if (!ACCEPTED_SCHEMES.contains(scheme)) {
                throw new IllegalStateException(where + " (" + u.name() + ").password-hash must be a hash of the form"
                        + " {bcrypt}…, {argon2@SpringSecurity_v5_8}…, {scrypt@SpringSecurity_v5_8}… or"
                        + " {pbkdf2@SpringSecurity_v5_8}…, not '{" + scheme + "}' (make one with ./amtsbote console-user)");
            }
            if (users.putIfAbsent(key(u.name()), u) != null) {
                throw new IllegalStateException(where + ": user name " + u.name() + " is configured twice");
            }
        }
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        ConsoleProperties.User u = users.get(key(username));
        if (u == null) {
            throw new UsernameNotFoundException("no console user " + username);
        }
        return User.withUsername(u.name()).password(u.passwordHash())
                .authorities(u.roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList())
                .accountLocked(locked(u.name()))
                .build();
    }

    public Optional<ConsoleProperties.User> find(String name) {
        return Optional.ofNullable(users.get(key(name)));
    }

    /** The users holding a role, for notifications (the officers receive expiry alerts). */
    public List<ConsoleProperties.User> withRole(ConsoleRole role) {
        return users.values().stream().filter(u -> u.roles().contains(role)).toList();
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    /** Whether the name is locked now after too many failed logins. */
    public boolean locked(String name) {
        Failures f = failures.get(key(name));
        return f != null && f.lockedUntil != null && clock.instant().isBefore(f.lockedUntil);
    }

    /** Counts a failed login; returns true if this one locked the name. */
    boolean failed(String name) {
        String k = key(name);
        if (!users.containsKey(k)) {
            return false; // unknown names are refused anyway; counting them would let anyone fill this map
        }
        Failures f = failures.compute(k, (key, old) -> {
            Failures n = old == null || (old.lockedUntil != null && !clock.instant().isBefore(old.lockedUntil))
                    ? new Failures(0, null) : old;
            int count = n.count + 1;
            return new Failures(count, count >= maxFailed ? clock.instant().plus(lockout) : null);
        });
        return f.lockedUntil != null && f.count == maxFailed;
    }

    void succeeded(String name) {
        failures.remove(key(name));
    }

    private static String key(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    private static String scheme(String hash) {
        if (hash == null || !hash.startsWith("{") || hash.indexOf('}') < 2) {
            return "";
        }
        return hash.substring(1, hash.indexOf('}'));
    }

    private record Failures(int count, Instant lockedUntil) {
    }
}
