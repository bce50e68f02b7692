package de.amtsbote.gateway.trust;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.certificates.TrustAnchor;
import de.amtsbote.gateway.certificates.TrustAnchorException;

/**
 * What the audit trail keeps about a change of the trust anchors, the same from the console and the API: the
 * anchor's subject and expiry and the reason given; for a refused change, what was tried and why it was refused.
 */
public final class TrustAudit {

    private TrustAudit() {
    }

    public static AuditDetail detail(TrustAnchor anchor, TrustAnchor.Change change) {
        return AuditDetail.of().with("subject", anchor.subject()).with("notAfter", anchor.notAfter().toString())
                .with("reason", change.reason());
    }

    public static AuditDetail refusal(String action, TrustAnchorException e) {
        return AuditDetail.of().with("action", action).with("kind", e.kind().name())
                .with("refusal", e.refusal().map(Enum::name).orElse(null)).with("problem", e.getMessage());
    }
}
