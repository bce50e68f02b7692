package de.amtsbote.gateway.submission;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.spi.DeliveryOption;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks the envelope JSON. Every problem is reported at once, each naming its field, so a developer
 * integrating a case-management system fixes all of them in one round.
 */
@Component
class EnvelopeReader {

    private static final Set<String> FIELDS = Set.of("sender", "recipients", "subject", "body", "reference", "options");
    private static final Set<String> OPTION_FIELDS = Set.of("sign", "encrypt", "personal", "receipts");
    private static final Map<String, DeliveryOption> RECEIPTS = Map.of(
            "dispatch", DeliveryOption.DISPATCH_RECEIPT,
            "delivery", DeliveryOption.DELIVERY_RECEIPT,
            "retrieval", DeliveryOption.RETRIEVAL_RECEIPT);
    private static final int MAX_SUBJECT = 998;
    private static final int MAX_REFERENCE = 200;
    private static final int MAX_RECIPIENT = 400;

    private final JsonMapper json;
    private final SubmissionProperties limits;

    EnvelopeReader(JsonMapper json, SubmissionProperties limits) {
        this.json = json;
        this.limits = limits;
    }

    Envelope read(InputStream part) throws IOException {
        long max = limits.maxEnvelopeSize().toBytes();
        byte[] bytes = part.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (bytes.length > max) {
            throw new ApiException(ProblemType.MESSAGE_TOO_LARGE, "the envelope part is larger than " + max + " bytes")
                    .with("limit", max);
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new ApiException(ProblemType.INVALID_ENVELOPE, "the envelope is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ProblemType.INVALID_ENVELOPE, "the envelope must be a JSON object");
        }
        Errors errors = new Errors();
        unknownFields(root, FIELDS, "", errors);
        String sender = text(root, "sender", true, 100, errors);
        List<String> recipients = recipients(root, errors);
        String subject = text(root, "subject", true, MAX_SUBJECT, errors);
        String body = root.has("body") ? text(root, "body", false, Integer.MAX_VALUE, errors) : "";
        String reference = text(root, "reference", false, MAX_REFERENCE, errors);
        if (subject != null) {
            noControlCharacters("subject", subject, errors);
        }
        if (reference != null) {
            noControlCharacters("reference", reference, errors);
        }
        Set<DeliveryOption> options = options(root.get("options"), errors);
        errors.throwIfAny();
        return new Envelope(sender, recipients, subject, body == null ? "" : body, reference, options);
    }

    private List<String> recipients(JsonNode root, Errors errors) {
        JsonNode node = root.get("recipients");
        if (node == null || node.isNull()) {
            errors.add("recipients", "is required: a list of participant:<id> or <channel>:<address>");
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            errors.add("recipients", "must be a non-empty list");
            return List.of();
        }
        if (node.size() > limits.maxRecipients()) {
            errors.add("recipients", "has " + node.size() + " entries; at most " + limits.maxRecipients() + " allowed");
        }
        List<String> recipients = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode r = node.get(i);
            String field = "recipients[" + i + "]";
            if (!r.isString() || r.asString().isBlank()) {
                errors.add(field, "must be a non-empty string");
            } else if (r.asString().length() > MAX_RECIPIENT) {
                errors.add(field, "is longer than " + MAX_RECIPIENT + " characters");
            } else if (!seen.add(r.asString().trim())) {
                errors.add(field, "'" + r.asString() + "' is listed twice");
            } else {
                recipients.add(r.asString().trim());
            }
        }
        return recipients;
    }

    private Set<DeliveryOption> options(JsonNode node, Errors errors) {
        Set<DeliveryOption> options = EnumSet.of(DeliveryOption.SIGN, DeliveryOption.ENCRYPT);
        if (node == null || node.isNull()) {
            return options;
        }
        if (!node.isObject()) {
            errors.add("options", "must be an object");
            return options;
        }
        unknownFields(node, OPTION_FIELDS, "options.", errors);
        flag(node, "sign", DeliveryOption.SIGN, options, errors);
        flag(node, "encrypt", DeliveryOption.ENCRYPT, options, errors);
        flag(node, "personal", DeliveryOption.PERSONAL, options, errors);
        JsonNode receipts = node.get("receipts");
        if (receipts != null && !receipts.isNull()) {
            if (!receipts.isArray()) {
                errors.add("options.receipts", "must be a list of " + RECEIPTS.keySet());
            } else {
                for (int i = 0; i < receipts.size(); i++) {
                    DeliveryOption receipt = receipts.get(i).isString() ? RECEIPTS.get(receipts.get(i).asString()) : null;
                    if (receipt == null) {
                        errors.add("options.receipts[" + i + "]", "must be one of " + RECEIPTS.keySet());
                    } else {
                        options.add(receipt);
                    }
                }
            }
        }
        return options;
    }

    private static void flag(JsonNode node, String name, DeliveryOption option, Set<DeliveryOption> options,
                             Errors errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isBoolean()) {
            errors.add("options." + name, "must be true or false");
        } else if (value.asBoolean()) {
            options.add(option);
        } else {
            options.remove(option);
        }
    }

    private static String text(JsonNode root, String field, boolean required, int max, Errors errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(field, "is required");
            }
            return null;
        }
        if (!node.isString()) {
            errors.add(field, "must be a string");
            return null;
        }
        String value = node.asString();
        if (required && value.isBlank()) {
            errors.add(field, "must not be empty");
            return null;
        }
        if (value.length() > max) {
            errors.add(field, "is longer than " + max + " characters");
            return null;
        }
        return value;
    }

    /** Line breaks in a subject would inject header fields into the e-mail channels. */
    private static void noControlCharacters(String field, String value, Errors errors) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                errors.add(field, "contains a control character (U+" + String.format("%04X", (int) c)
                        + "); line breaks are not allowed");
                return;
            }
        }
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, Errors errors) {
        for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(prefix + name, "is not a known field; known: " + new java.util.TreeSet<>(known));
            }
        }
    }

    /** The problems found, in field order. */
    private static final class Errors {
        private final Map<String, String> byField = new LinkedHashMap<>();

        void add(String field, String problem) {
            byField.putIfAbsent(field, problem);
        }

        void throwIfAny() {
            if (byField.isEmpty()) {
                return;
            }
            List<Map<String, String>> list = new ArrayList<>();
            byField.forEach((field, problem) -> {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("field", field);
                entry.put("problem", problem);
                list.add(entry);
            });
            Map.Entry<String, String> first = byField.entrySet().iterator().next();
            String more = byField.size() > 1 ? " (and " + (byField.size() - 1) + " more problems)" : "";
            throw new ApiException(ProblemType.INVALID_ENVELOPE, "envelope field '" + first.getKey() + "' "
                    + first.getValue() + more).with("errors", list);
        }
    }
}
