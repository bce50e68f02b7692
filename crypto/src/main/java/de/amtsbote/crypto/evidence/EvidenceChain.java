package de.amtsbote.crypto.evidence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that verified evidence documents of one message, in the order given, form its chain: each document's
 * PreviousEvidence is the SHA-256 of the document before it in the same chain. The chain of a message is a tree: the
 * SubmissionAcceptance starts it and each delivery (recipient) continues it on its own branch, so the document before
 * one with a DeliveryId is the latest earlier one of the same delivery or, before any, the latest one without a
 * DeliveryId. Inbound messages have one chain without DeliveryIds (Receipt, Retrieval).
 */
public final class EvidenceChain {

    private EvidenceChain() {
    }

    /**
     * What a chain check found.
     *
     * @param documents the number of documents
     * @param complete  whether the first document starts the chain (it names no previous evidence); if not, the
     *                  chain starts after a document that was not given, which is allowed but reported
     */
    public record Report(int documents, boolean complete) {
    }

    /**
     * @param documents the verified documents by a label for messages (the file name), in chain order
     * @throws EvidenceException OTHER_MESSAGE, DUPLICATE, WRONG_ORDER or MISSING_LINK, naming the files
     */
    public static Report check(LinkedHashMap<String, VerifiedEvidence> documents) throws EvidenceException {
        List<String> labels = new ArrayList<>(documents.keySet());
        List<VerifiedEvidence> list = new ArrayList<>(documents.values());
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no evidence documents to check");
        }
        Map<String, Integer> byDigest = new HashMap<>();
        String message = list.get(0).messageId();
        for (int i = 0; i < list.size(); i++) {
            VerifiedEvidence e = list.get(i);
            if (!e.messageId().equals(message)) {
                throw new EvidenceException(EvidenceProblem.OTHER_MESSAGE, labels.get(i) + " is evidence of message "
                        + e.messageId() + ", but " + labels.get(0) + " is of message " + message);
            }
            Integer seen = byDigest.putIfAbsent(e.digest(), i);
            if (seen != null) {
                throw new EvidenceException(EvidenceProblem.DUPLICATE, labels.get(i) + " is the same document as "
                        + labels.get(seen));
            }
        }
        for (int i = 0; i < list.size(); i++) {
            VerifiedEvidence e = list.get(i);
            String label = labels.get(i) + " (" + e.event() + ")";
            Integer named = e.previous() == null ? null : byDigest.get(e.previous());
            if (named != null && named > i) {
                throw new EvidenceException(EvidenceProblem.WRONG_ORDER, label + " follows " + labels.get(named) + " ("
                        + list.get(named).event() + "), which is given after it: the order is swapped");
            }
            if (i == 0) {
                continue;
            }
            int expected = predecessor(list, i);
            if (e.previous() == null) {
                throw new EvidenceException(EvidenceProblem.WRONG_ORDER, label + " starts the chain of message "
                        + message + " (it names no previous evidence), but is given after " + labels.get(expected)
                        + ": the order is swapped");
            }
            if (named == null) {
                throw new EvidenceException(EvidenceProblem.MISSING_LINK, label + " follows evidence with SHA-256 "
                        + e.previous() + ", which is none of the files: the evidence between " + labels.get(expected)
                        + " (" + list.get(expected).event() + ") and " + labels.get(i) + " is missing");
            }
            if (named != expected) {
                throw new EvidenceException(EvidenceProblem.WRONG_ORDER, label + " follows " + labels.get(named)
                        + " (" + list.get(named).event() + "), but " + labels.get(expected) + " ("
                        + list.get(expected).event() + ") of the same chain is given between them");
            }
        }
        return new Report(list.size(), list.get(0).previous() == null);
    }

    /** The latest earlier document of the same delivery, else the latest earlier one without a delivery. */
    private static int predecessor(List<VerifiedEvidence> list, int i) {
        String delivery = list.get(i).deliveryId();
        int withoutDelivery = -1;
        for (int k = i - 1; k >= 0; k--) {
            String d = list.get(k).deliveryId();
            if (delivery != null && Objects.equals(d, delivery)) {
                return k;
            }
            if (d == null && withoutDelivery < 0) {
                withoutDelivery = k;
                if (delivery == null) {
                    return k;
                }
            }
        }
        return withoutDelivery >= 0 ? withoutDelivery : i - 1;
    }
}
