package de.amtsbote.adapter.demail;

import de.amtsbote.adapter.mail.MailAddresses;
import de.amtsbote.spi.AddressCheck;
import java.util.Locale;
import java.util.Set;

/**
 * De-Mail addresses (TR 01201 Teil 2.1 §2.1, wire contract section 1): RFC 5321 mailbox syntax, lower case only,
 * local part ≤ 64, domain ≤ 189, whole ≤ 253 characters, on a De-Mail domain ({@code de-mail.de} and its subdomains,
 * or a provider's own domain from the {@code domains} setting). System addresses are the senders of confirmations and
 * notifications, never recipients; pseudonyms are {@code pn_<name>} without dots.
 */
final class DeMailAddresses {

    static final String SHARED_DOMAIN = "de-mail.de";
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 189;
    static final int MAX_ADDRESS = 253;
    /** Local parts of the providers' system addresses (PVD FU table 1, TR ID), compared without case. */
    static final Set<String> SYSTEM_LOCAL_PARTS = Set.of("versandbestaetigung", "eingangsbestaetigung",
            "abholbestaetigung", "schadsoftware-warnung", "meldung", "ident-bestaetigung");

    private final Set<String> domains;

    /** @param domains further De-Mail domains (a provider's own), lower case */
    DeMailAddresses(Set<String> domains) {
        this.domains = Set.copyOf(domains);
    }

    /** The check for a recipient: everything, and no system address. */
    AddressCheck checkRecipient(String address) {
        // a system address is written with capitals (Meldung@…): name what it is, not its case
        if (MailAddresses.check(address).isValid() && isSystemAddress(address)) {
            return AddressCheck.invalid("'" + address + "' is a De-Mail system address (the sender of confirmations"
                    + " and notifications) and cannot be a recipient");
        }
        AddressCheck check = check(address);
        if (check.isValid() && isSystemAddress(check.normalized())) {
            return AddressCheck.invalid("'" + address + "' is a De-Mail system address (the sender of confirmations"
                    + " and notifications) and cannot be a recipient");
        }
        return check;
    }

    /** The syntax and domain check, for any De-Mail address (senders and system addresses included). */
    AddressCheck check(String address) {
        AddressCheck syntax = MailAddresses.check(address);
        if (!syntax.isValid()) {
            return AddressCheck.invalid("not a De-Mail address: " + syntax.problem());
        }
        if (!address.equals(address.toLowerCase(Locale.ROOT))) {
            return AddressCheck.invalid("'" + address + "' contains upper-case letters; De-Mail addresses are lower"
                    + " case only (TR 01201 2.1), write '" + address.toLowerCase(Locale.ROOT) + "'");
        }
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > MAX_LOCAL_PART) {
            return AddressCheck.invalid("the local part of '" + address + "' has " + local.length()
                    + " characters; De-Mail allows at most " + MAX_LOCAL_PART);
        }
        if (domain.length() > MAX_DOMAIN) {
            return AddressCheck.invalid("the domain of '" + address + "' has " + domain.length()
                    + " characters; De-Mail allows at most " + MAX_DOMAIN);
        }
        if (address.length() > MAX_ADDRESS) {
            return AddressCheck.invalid("'" + address + "' has " + address.length() + " characters; De-Mail allows"
                    + " at most " + MAX_ADDRESS);
        }
        if (!isDeMailDomain(domain)) {
            return AddressCheck.invalid(domain + " is not a De-Mail domain (de-mail.de and its subdomains, or a"
                    + " provider domain configured in amtsbote.channels.demail.domains)");
        }
        if (local.startsWith("pn_") && (local.length() == 3 || local.contains("."))) {
            return AddressCheck.invalid("'" + address + "' is not a valid pseudonym: pn_<name> without dots");
        }
        return AddressCheck.valid(address);
    }

    boolean isDeMailDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.equals(SHARED_DOMAIN) || d.endsWith("." + SHARED_DOMAIN)) {
            return true;
        }
        for (String own : domains) {
            if (d.equals(own) || d.endsWith("." + own)) {
                return true;
            }
        }
        return false;
    }

    static boolean isSystemAddress(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && SYSTEM_LOCAL_PARTS.contains(address.substring(0, at).toLowerCase(Locale.ROOT));
    }

    static boolean isPseudonym(String address) {
        return address.startsWith("pn_");
    }

    static String domain(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
