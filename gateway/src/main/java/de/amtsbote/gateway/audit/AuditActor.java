package de.amtsbote.gateway.audit;

import java.util.Objects;

/**
 * Who acted: a client system (by its configured id), a person (the console, later), or the gateway itself (a node,
 * for what it does on its own: dispatching, receiving, expiring).
 */
public record AuditActor(Kind kind, String id) {

    public enum Kind { CLIENT, PERSON, NODE }

    public AuditActor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static AuditActor client(String clientId) {
        return new AuditActor(Kind.CLIENT, clientId);
    }

    public static AuditActor node(String nodeId) {
        return new AuditActor(Kind.NODE, nodeId);
    }
}
