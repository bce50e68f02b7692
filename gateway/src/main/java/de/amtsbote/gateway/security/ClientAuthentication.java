package de.amtsbote.gateway.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated client system. Carries no credentials: the token is dropped once it has been matched. */
final class ClientAuthentication extends AbstractAuthenticationToken {

    private final ClientSystem client;

    ClientAuthentication(ClientSystem client) {
        super(authorities(client));
        this.client = client;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(ClientSystem client) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_CLIENT"));
        client.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        return authorities;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public ClientSystem getPrincipal() {
        return client;
    }

    @Override
    public String getName() {
        return client.id();
    }
}
