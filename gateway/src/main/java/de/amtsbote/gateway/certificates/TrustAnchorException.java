package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.validation.TrustAnchorRefusedException;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of the trust anchors that was not made, with the reason: the console and the API turn {@link #kind()}
 * (and for a refused certificate {@link #refusal()}) into their texts and problem types; the message is the English
 * sentence for logs and the API.
 */
public final class TrustAnchorException extends RuntimeException {

    /** Why nothing was changed. */
    public enum Kind {
        /** The certificate may not become a trust anchor; {@link #refusal()} says why. */
        REFUSED,
        /** The certificate is already a trust anchor (configured, or added earlier); {@link #anchor()} is that one. */
        ALREADY_TRUSTED,
        /** A configured anchor cannot be removed at run time; {@link #anchor()} names its file. */
        CONFIGURED,
        /** No anchor in force has that fingerprint. */
        NOT_FOUND,
        /** Every change needs a reason for the audit trail and the history. */
        REASON_MISSING
    }

    private final Kind kind;
    private final TrustAnchorRefusedException.Reason refusal;
    private final TrustAnchor anchor;

    TrustAnchorException(Kind kind, String message, TrustAnchor anchor) {
        super(message);
        this.kind = Objects.requireNonNull(kind);
        this.refusal = null;
        this.anchor = anchor;
    }

    TrustAnchorException(TrustAnchorRefusedException refused) {
        super(refused.getMessage(), refused);
        this.kind = Kind.REFUSED;
        this.refusal = refused.reason();
        this.anchor = null;
    }

    public Kind kind() {
        return kind;
    }

    public Optional<TrustAnchorRefusedException.Reason> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The anchor concerned, where there is one (already trusted, configured). */
    public Optional<TrustAnchor> anchor() {
        return Optional.ofNullable(anchor);
    }
}
