package de.amtsbote.crypto.evidence;

import java.util.Objects;

/** An evidence document or chain that does not verify, with the {@link EvidenceProblem} and a sentence for a person. */
public final class EvidenceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final EvidenceProblem problem;

    public EvidenceException(EvidenceProblem problem, String message) {
        this(problem, message, null);
    }

    public EvidenceException(EvidenceProblem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public EvidenceProblem problem() {
        return problem;
    }
}
