package de.amtsbote.gateway.support;

/** The name of this gateway process: in leases, transport headers, logs and evidence. */
public record NodeIdentity(String id) {
    public NodeIdentity {
        if (id == null || id.isBlank() || id.length() > 100) {
            throw new IllegalArgumentException("amtsbote.node-id must be 1-100 characters");
        }
    }
}
