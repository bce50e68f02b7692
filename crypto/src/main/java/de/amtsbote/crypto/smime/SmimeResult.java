package de.amtsbote.crypto.smime;

import de.amtsbote.crypto.cms.ReceiptRequested;
import de.amtsbote.crypto.cms.VerificationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What opening an S/MIME message found: its layers in order (outermost first), and a failure of the structure if the
 * reader had to stop. The innermost entity was written to the caller's stream as it was read; <b>it is untrusted
 * unless {@link #valid()}</b>.
 *
 * @param layers      the S/MIME layers, outermost first
 * @param failure     why the structure could not be read on, or null
 * @param detail      a sentence on that failure, or null
 * @param contentType the innermost entity's media type ("multipart/mixed"), or null if it was not reached
 */
public record SmimeResult(List<SmimeLayer> layers, SmimeFailure failure, String detail, String contentType) {

    public SmimeResult {
        layers = List.copyOf(layers);
    }

    /**
     * Valid: the structure was read to the innermost entity, there is at least one S/MIME layer, and every layer
     * verified or decrypted. A message without any layer is not valid (it is not protected at all).
     */
    public boolean valid() {
        return failure == null && contentType != null && !layers.isEmpty() && layers.stream().allMatch(SmimeLayer::valid);
    }

    public boolean signed() {
        return layers.stream().anyMatch(SmimeLayer::signed);
    }

    public boolean encrypted() {
        return layers.stream().anyMatch(l -> !l.signed());
    }

    /** The verification results of the signed layers, outermost first. */
    public List<VerificationResult> verifications() {
        return layers.stream().map(SmimeLayer::verification).filter(Objects::nonNull).toList();
    }

    /** Receipt requests of the signers of all signed layers. */
    public List<ReceiptRequested> receiptRequests() {
        return verifications().stream().flatMap(v -> v.receiptRequests().stream()).toList();
    }

    /** Every flag (legacy algorithm accepted) of every layer, each once. */
    public List<String> flags() {
        List<String> all = new ArrayList<>();
        for (SmimeLayer l : layers) {
            List<String> f = l.verification() != null ? l.verification().flags()
                    : l.decryption() != null ? l.decryption().flags() : List.of();
            f.stream().filter(x -> !all.contains(x)).forEach(all::add);
        }
        return List.copyOf(all);
    }

    /** A paragraph for a person: one line per layer, and the structural failure if any. */
    public String describe() {
        String ls = layers.stream().map(SmimeLayer::describe).collect(Collectors.joining("\n"));
        if (failure != null) {
            return (ls.isEmpty() ? "" : ls + "\n") + failure + ": " + detail;
        }
        return layers.isEmpty() ? "not an S/MIME message (" + contentType + ")" : ls;
    }
}
