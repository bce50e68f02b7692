package de.amtsbote.crypto.cms;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of verifying a SignedData: one {@link SignerResult} per SignerInfo, or a failure of the whole structure
 * (not signed, malformed) before any signer could be looked at.
 *
 * <p>Failures about the message are states of this result, never exceptions; only a failing stream of the caller's
 * throws. The message is valid only if every signer is valid (a second, bad signature is not ignored).
 *
 * @param contentType the eContentType object identifier, or null if not known
 * @param signers     the signers, in their order in the SignedData
 * @param failure     a failure of the whole structure, or null
 * @param detail      a sentence on that failure, or null
 */
public record VerificationResult(String contentType, List<SignerResult> signers, SignatureCheck failure,
                                 String detail) {

    public VerificationResult {
        signers = List.copyOf(signers);
    }

    static VerificationResult failed(String contentType, SignatureCheck failure, String detail) {
        return new VerificationResult(contentType, List.of(), failure, detail);
    }

    /** Valid: the structure is sound, there is at least one signer, and every signer is valid. */
    public boolean valid() {
        return failure == null && !signers.isEmpty() && signers.stream().allMatch(SignerResult::valid);
    }

    /** The first check that failed, for the message as a whole or for the first failing signer. */
    public Optional<SignatureCheck> firstFailure() {
        if (failure != null) {
            return Optional.of(failure);
        }
        return failedSigner().map(SignerResult::failure);
    }

    /** The first signer that failed, if any. */
    public Optional<SignerResult> failedSigner() {
        return signers.stream().filter(s -> !s.valid()).findFirst();
    }

    /** Every flag of every signer, each once. */
    public List<String> flags() {
        List<String> all = new ArrayList<>();
        signers.forEach(s -> s.flags().stream().filter(f -> !all.contains(f)).forEach(all::add));
        return List.copyOf(all);
    }

    /** Receipt requests made by the signers. */
    public List<ReceiptRequested> receiptRequests() {
        return signers.stream().map(SignerResult::receiptRequest).filter(r -> r != null).toList();
    }

    /** A paragraph for a person: one line per signer, or the structural failure. */
    public String describe() {
        if (failure != null) {
            return failure + (detail == null ? "" : ": " + detail);
        }
        if (signers.isEmpty()) {
            return SignatureCheck.NOT_SIGNED + ": no signer";
        }
        return signers.stream().map(SignerResult::describe).collect(Collectors.joining("\n"));
    }
}
