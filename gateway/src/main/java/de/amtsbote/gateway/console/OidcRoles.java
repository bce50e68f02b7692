package de.amtsbote.gateway.console;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Turns a person authenticated by the identity provider into a console user: the roles claim's values are mapped to
 * console roles by configuration, nothing else (in particular no scope or provider authority) grants anything. A
 * person without a mapped role, or without the name claim, is refused with a reason the login page shows.
 */
final class OidcRoles implements OAuth2UserService<OidcUserRequest, OidcUser> {

    static final String NO_ROLE = "no_console_role";

    private final ConsoleProperties.Oidc settings;
    private final OidcUserService delegate = new OidcUserService();

    OidcRoles(ConsoleProperties.Oidc settings) {
        this.settings = settings;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = delegate.loadUser(request);
        Object name = user.getClaims().get(settings.userNameClaim());
        if (!(name instanceof String s) || s.isBlank()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(NO_ROLE, "the ID token has no claim '"
                    + settings.userNameClaim() + "' to name the person", null));
        }
        Set<GrantedAuthority> roles = new LinkedHashSet<>();
        for (String value : values(user.getClaims().get(settings.rolesClaim()))) {
            ConsoleRole role = settings.roleMapping().get(value);
            if (role != null) {
                roles.add(new SimpleGrantedAuthority(role.authority()));
            }
        }
        if (roles.isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(NO_ROLE, "person " + name + " has no console role"
                    + " (claim '" + settings.rolesClaim() + "' maps to none)", null));
        }
        return new DefaultOidcUser(roles, user.getIdToken(), user.getUserInfo(), settings.userNameClaim());
    }

    private static List<String> values(Object claim) {
        if (claim instanceof String s) {
            return List.of(s);
        }
        if (claim instanceof Collection<?> c) {
            return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
