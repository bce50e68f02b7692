package de.amtsbote.gateway.console;

import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** Records what a person did in the console, as that person (docs/audit.md lists the actions). */
@Component
public class ConsoleAudit {

    private final AuditTrail trail;

    ConsoleAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * @param subjects {@code kind:id} tokens ({@link AuditTrail#subjects})
     */
    public void record(Authentication person, String action, String subjects, AuditDetail detail) {
        trail.record(AuditActor.person(person.getName()), action, subjects, detail);
    }
}
