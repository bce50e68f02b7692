package de.amtsbote.sandbox.demail;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The address rules of the wire contract (docs/channels/demail.md section 1, TR 01201-2.1 §2.1): an RFC 5322
 * addr-spec in lower case only, local part ≤ 64, domain ≤ 189, whole ≤ 253 characters, on a De-Mail domain.
 */
final class DeMailAddress {

    /** Local parts of the system addresses (compared case-insensitively); they send, they never receive. */
    static final Set<String> SYSTEM_LOCAL_PARTS = Set.of("versandbestaetigung", "eingangsbestaetigung",
            "abholbestaetigung", "schadsoftware-warnung", "meldung", "ident-bestaetigung");

    /** RFC 5322 dot-atom local part; upper case is checked separately so the reason can say so. */
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private DeMailAddress() {
    }

    /**
     * Why {@code address} is not a valid De-Mail address for these domains, or null when it is.
     *
     * @param extraDomains domains that are De-Mail domains besides {@code de-mail.de} and its subdomains
     */
    static String problem(String address, Set<String> extraDomains) {
        if (address == null || address.isEmpty()) {
            return "the address is empty";
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.indexOf('@') != at) {
            return "'" + address + "' is not an addr-spec local@domain";
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!LOCAL.matcher(local).matches()) {
            return "the local part of '" + address + "' is not an RFC 5322 dot-atom";
        }
        if (!DOMAIN.matcher(domain).matches()) {
            return "the domain of '" + address + "' is not a domain name";
        }
        if (!address.equals(address.toLowerCase(Locale.ROOT))) {
            return "'" + address + "' has upper-case letters; De-Mail addresses are lower case only";
        }
        if (local.length() > 64) {
            return "the local part of '" + address + "' is longer than 64 characters";
        }
        if (domain.length() > 189) {
            return "the domain of '" + address + "' is longer than 189 characters";
        }
        if (address.length() > 253) {
            return "'" + address + "' is longer than 253 characters";
        }
        if (!isDeMailDomain(domain, extraDomains)) {
            return domain + " is not a De-Mail domain";
        }
        return null;
    }

    static boolean isDeMailDomain(String domain, Set<String> extraDomains) {
        return domain.equals("de-mail.de") || domain.endsWith(".de-mail.de") || extraDomains.contains(domain);
    }

    static boolean isSystemAddress(String address) {
        return SYSTEM_LOCAL_PARTS.contains(localPart(address).toLowerCase(Locale.ROOT));
    }

    /** {@code pn_<name>} without dots (TR 01201-2.1). */
    static boolean isPseudonym(String address) {
        String local = localPart(address);
        return local.startsWith("pn_") && local.indexOf('.') < 0;
    }

    static String localPart(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }
}
