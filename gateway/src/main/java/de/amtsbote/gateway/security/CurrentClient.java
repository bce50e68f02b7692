package de.amtsbote.gateway.security;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The client system of the current request, for controllers. */
public final class CurrentClient {

    private CurrentClient() {
    }

    public static ClientSystem get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof ClientAuthentication client) {
            return client.getPrincipal();
        }
        throw new ApiException(ProblemType.UNAUTHENTICATED, "this request needs 'Authorization: Bearer <token>'");
    }

    /** Refuses with 403 unless the client may act for the participant. */
    public static ClientSystem actingFor(String participant) {
        ClientSystem client = get();
        if (!client.mayActFor(participant)) {
            throw new ApiException(ProblemType.FORBIDDEN, "client system '" + client.id()
                    + "' may not act for participant '" + participant + "'").with("participant", participant);
        }
        return client;
    }
}
