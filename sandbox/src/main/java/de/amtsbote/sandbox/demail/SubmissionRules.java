package de.amtsbote.sandbox.demail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The refusal table of the wire contract (section 2) for a submitted message, checked after DATA: which reply a
 * message gets and why. The checks at MAIL and RCPT live with the SMTP session; they use {@link #recipientProblem}.
 */
final class SubmissionRules {

    /** An SMTP reply refusing the message: code, enhanced status and the reason. */
    record Refusal(int code, String status, String reason) {
        String reply() {
            return code + " " + status + " " + reason;
        }
    }

    /** Who submits: an institutional account (client certificate) or a sandbox mailbox (its webmail). */
    record Submitter(String id, String holder, boolean publicBody, Set<String> addresses, String authMechanism) {
    }

    static final List<String> OPTION_FIELDS = List.of("X-de-mail-confirmation-of-dispatch",
            "X-de-mail-confirmation-of-receipt", "X-de-mail-confirmation-of-retrieve", "X-de-mail-authoritative",
            "X-de-mail-private");

    /** Fields only a provider writes: a submission carrying one could pass itself off as a confirmation. */
    static final List<String> PROVIDER_FIELDS = List.of("X-de-mail-message-id", "X-de-mail-originator-provider",
            "X-de-mail-message-type", "X-de-mail-version", "X-de-mail-auth-level", "X-de-mail-auth-mechanism",
            "X-de-mail-account-holder", "X-de-mail-actual-recipient", "X-de-mail-integrity",
            "X-de-mail-signature-certificate", "X-de-mail-notification-type");

    static final int MAX_PRIVATE_ID = 1024;

    private SubmissionRules() {
    }

    /** RCPT: {@code 553 5.1.3} for an invalid address or foreign domain, {@code 550 5.1.1} for a system address. */
    static Refusal recipientProblem(String recipient, Set<String> deMailDomains) {
        String problem = DeMailAddress.problem(recipient, deMailDomains);
        if (problem != null) {
            return new Refusal(553, "5.1.3", problem);
        }
        if (DeMailAddress.isSystemAddress(recipient)) {
            return new Refusal(550, "5.1.1", recipient + " is a De-Mail system address; it sends confirmations and"
                    + " notifications and receives nothing");
        }
        return null;
    }

    /** End of DATA: the message's fields against the envelope and the account; null if it is acceptable. */
    static Refusal check(HeaderFields h, String mailFrom, String recipient, Submitter submitter) {
        for (String required : List.of("From", "Date", "Message-ID")) {
            if (h.first(required).isEmpty()) {
                return invalid("the field " + required + " is missing");
            }
        }
        for (String f : PROVIDER_FIELDS) {
            if (h.first(f).isPresent()) {
                return invalid("the field " + f + " is set by the provider, not by the sender");
            }
        }
        for (String f : OPTION_FIELDS) {
            String v = h.value(f);
            if (v == null) {
                return invalid("the option field " + f + " is missing");
            }
            if (!v.equals("yes") && !v.equals("no")) {
                return invalid(f + " is '" + v + "', not exactly yes or no");
            }
        }
        String sender = h.value("X-de-mail-sender");
        if (sender == null) {
            return invalid("the field X-de-mail-sender is missing");
        }
        if (!sender.equals(mailFrom)) {
            return invalid("X-de-mail-sender " + sender + " is not the MAIL FROM address " + mailFrom);
        }
        String chosen = h.value("X-de-mail-chosen-recipient");
        if (chosen == null) {
            return invalid("the field X-de-mail-chosen-recipient is missing");
        }
        List<String> chosenAddresses = chosenRecipients(chosen);
        if (chosenAddresses == null || chosenAddresses.size() != 1 || !chosenAddresses.get(0).equals(recipient)) {
            return invalid("X-de-mail-chosen-recipient '" + chosen + "' is not to=" + recipient + ", the RCPT TO address");
        }
        String privateId = h.value("X-de-mail-private-id");
        if (privateId != null && privateId.length() > MAX_PRIVATE_ID) {
            return invalid("X-de-mail-private-id has " + privateId.length() + " characters, more than "
                    + MAX_PRIVATE_ID);
        }
        boolean retrieve = yes(h, "X-de-mail-confirmation-of-retrieve");
        if (retrieve && !yes(h, "X-de-mail-private")) {
            return invalid("X-de-mail-confirmation-of-retrieve is yes but X-de-mail-private is not: an "
                    + "Abholbestätigung implies persönlich");
        }
        if (retrieve && !submitter.publicBody()) {
            return new Refusal(554, "5.7.1", "account " + submitter.id() + " is not a public body; only public bodies"
                    + " may ask for an Abholbestätigung (confirmation-of-retrieve)");
        }
        if (yes(h, "X-de-mail-authoritative") && DeMailAddress.isPseudonym(mailFrom)) {
            return new Refusal(554, "5.7.1", "absenderbestätigt (authoritative) is not allowed from the pseudonym "
                    + mailFrom);
        }
        return null;
    }

    static boolean yes(HeaderFields h, String field) {
        return "yes".equals(h.value(field));
    }

    /**
     * The addresses of {@code to=a, b; cc=c; bcc=d} (each key at most once), or null if the value is not of that
     * form.
     */
    static List<String> chosenRecipients(String value) {
        List<String> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String part : value.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                return null;
            }
            String key = p.substring(0, eq).strip();
            if (!List.of("to", "cc", "bcc").contains(key) || keys.contains(key)) {
                return null;
            }
            keys.add(key);
            for (String a : p.substring(eq + 1).split(",")) {
                String address = a.strip();
                if (address.startsWith("<") && address.endsWith(">")) {
                    address = address.substring(1, address.length() - 1);
                }
                if (!address.isEmpty()) {
                    out.add(address);
                }
            }
        }
        return out;
    }

    private static Refusal invalid(String reason) {
        return new Refusal(554, "5.6.0", "invalid-format: " + reason);
    }
}
