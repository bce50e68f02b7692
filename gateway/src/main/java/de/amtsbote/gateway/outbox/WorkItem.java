package de.amtsbote.gateway.outbox;

/**
 * A piece of outbox work claimed by this node.
 *
 * @param subjectId     the delivery or inbox message the work is about
 * @param leaseToken    proves the claim: every later change of the row checks it, so a node whose lease ran out
 *                      and was taken over cannot overwrite the new owner's work
 * @param claims        how often the row has been claimed, this claim included
 * @param previousOwner the node that held the lease before, if it ran out (a takeover), else null
 */
public record WorkItem(long id, WorkKind kind, String subjectId, String leaseToken, int claims, String previousOwner) {
}
