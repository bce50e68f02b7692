package de.amtsbote.gateway.audit;

import java.time.Instant;

/**
 * Which entries to show: every criterion that is null is not applied.
 *
 * @param actorKind    the actor's kind
 * @param actorId      the actor's id, exactly
 * @param actionPrefix the action's beginning ({@code console.} finds {@code console.login} and {@code console.logout})
 * @param subject      one of the entry's subjects, exactly ({@code message:0190…})
 * @param from         entries at or after this time
 * @param until        entries before this time
 */
public record AuditFilter(AuditActor.Kind actorKind, String actorId, String actionPrefix, String subject, Instant from,
                          Instant until) {

    public AuditFilter {
        actorId = blankToNull(actorId);
        actionPrefix = blankToNull(actionPrefix);
        subject = blankToNull(subject);
    }

    public static AuditFilter none() {
        return new AuditFilter(null, null, null, null, null, null);
    }

    public boolean isEmpty() {
        return equals(none());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
