package de.amtsbote.adapter.mail;

import de.amtsbote.spi.AddressCheck;
import java.util.Locale;

/**
 * Mailbox syntax of RFC 5321 4.1.2 for the channel's addresses ({@code smime:<local>@<domain>}): a dot-atom local
 * part of at most 64 characters, a domain of letter-digit-hyphen labels (IDNs in their ASCII form), at most 254
 * characters in all. No display names, comments, quoted local parts, address literals or non-ASCII (SMTPUTF8): what
 * a certificate's rfc822Name and every relay can carry. The normal form has a lower-case domain; the local part keeps
 * its case, because RFC 5321 leaves its meaning to the receiving host.
 */
public final class MailAddresses {

    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_DOMAIN = 253;
    /** RFC 5321 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
    public static final int MAX_ADDRESS = 254;

    private MailAddresses() {
    }

    public static AddressCheck check(String address) {
        if (address == null || address.isEmpty()) {
            return AddressCheck.invalid("e-mail address is empty");
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return AddressCheck.invalid("e-mail address '" + printable(address) + "' contains "
                        + (c > 0x7e ? "the non-ASCII character '" + c + "' (write the domain in its xn-- form)"
                        : c == ' ' ? "a space (no display names: write only local@domain)"
                        : "the control character U+" + String.format("%04X", (int) c)));
            }
        }
        if (address.length() > MAX_ADDRESS) {
            return AddressCheck.invalid("e-mail address has " + address.length() + " characters, at most "
                    + MAX_ADDRESS + " are allowed");
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return AddressCheck.invalid("'" + address + "' is not an e-mail address (local@domain)");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.isEmpty()) {
            return AddressCheck.invalid("e-mail address '" + address + "' has nothing before '@'");
        }
        if (local.length() > MAX_LOCAL_PART) {
            return AddressCheck.invalid("local part of '" + address + "' has " + local.length()
                    + " characters, at most " + MAX_LOCAL_PART + " are allowed");
        }
        String localProblem = dotAtomProblem(local);
        if (localProblem != null) {
            return AddressCheck.invalid("local part of '" + address + "' " + localProblem);
        }
        String domainProblem = domainProblem(domain);
        if (domainProblem != null) {
            return AddressCheck.invalid("domain of '" + address + "' " + domainProblem);
        }
        return AddressCheck.valid(local + "@" + domain.toLowerCase(Locale.ROOT));
    }

    /** The domain part of a normal-form address. */
    public static String domain(String normalized) {
        return normalized.substring(normalized.lastIndexOf('@') + 1);
    }

    /** Whether two normal-form addresses name one mailbox (local parts compared without case, as most hosts do). */
    public static boolean same(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }

    private static String dotAtomProblem(String local) {
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "must not start or end with '.' or contain '..'";
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean atext = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
            if (!atext) {
                return "contains '" + c + "' (no display names, quotes, comments or brackets: only local@domain)";
            }
        }
        return null;
    }

    private static String domainProblem(String domain) {
        if (domain.isEmpty()) {
            return "is empty";
        }
        if (domain.startsWith("[")) {
            return "is an address literal; use a domain name";
        }
        if (domain.length() > MAX_DOMAIN) {
            return "has " + domain.length() + " characters, at most " + MAX_DOMAIN + " are allowed";
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return "'" + domain + "' is not a fully qualified domain name";
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                return "'" + domain + "' has an empty label";
            }
            if (label.length() > 63) {
                return "'" + domain + "' has a label longer than 63 characters";
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "'" + domain + "' has a label that starts or ends with '-'";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return "'" + domain + "' contains '" + c + "' (letters, digits and '-' only)";
                }
            }
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
