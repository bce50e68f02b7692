package de.amtsbote.gateway.security;

import java.util.Set;

/**
 * A system that uses the API on behalf of some of the gateway's own participants: a case-management system, an
 * online-service back end, a monitoring system.
 *
 * @param id           name for logs and the audit trail ("fachverfahren-bauamt")
 * @param participants the own participants it may send as and receive for
 * @param roles        extra rights: {@code MONITORING} may read metrics, {@code AUDITOR} may read the audit
 *                     trail, {@code SECURITY_OFFICER} may read and manage certificates and trust anchors (the CLI's
 *                     scripting door)
 */
public record ClientSystem(String id, Set<String> participants, Set<String> roles) {

    public static final String MONITORING = "MONITORING";
    public static final String AUDITOR = "AUDITOR";
    public static final String SECURITY_OFFICER = "SECURITY_OFFICER";

    public ClientSystem {
        participants = Set.copyOf(participants);
        roles = Set.copyOf(roles);
    }

    public boolean mayActFor(String participant) {
        return participants.contains(participant);
    }
}
