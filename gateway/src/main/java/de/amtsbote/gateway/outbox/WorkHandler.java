package de.amtsbote.gateway.outbox;

/** Carries out one kind of outbox work. Implementations finish or release the item through {@link Outbox}. */
public interface WorkHandler {

    WorkKind kind();

    void handle(WorkItem item);
}
