package de.amtsbote.gateway.audit;

import java.util.Objects;

/**
 * Who acted: a client system (by its configured id), a person (by console user name), or the gateway itself (a node,
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

    /** A person logged in to the console, by user name. */
    public static AuditActor person(String userName) {
        return new AuditActor(Kind.PERSON, userName);
    }

    public static AuditActor node(String nodeId) {
        return new AuditActor(Kind.NODE, nodeId);
    }
}
