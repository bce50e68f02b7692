package de.amtsbote.adapter.loopback;

import de.amtsbote.spi.AddressCheck;
import java.util.Locale;

/**
 * Loopback addresses: {@code <mailbox>@<domain>} for the peer's outside parties, {@code <participant>@gateway} for
 * the gateway's own participants (the sender of a delivery, the recipient of an inbound message). Local parts are
 * 1 to 64 characters of {@code a-z 0-9 . _ -}; the normal form is lower case.
 */
final class LoopbackAddresses {

    static final String GATEWAY_DOMAIN = "gateway";
    static final int MAX_LOCAL_PART = 64;

    private LoopbackAddresses() {
    }

    static AddressCheck check(String address, String peerDomain) {
        if (address == null || address.isEmpty()) {
            return AddressCheck.invalid("loopback address is empty");
        }
        int at = address.indexOf('@');
        if (at < 0 || at != address.lastIndexOf('@')) {
            return AddressCheck.invalid("loopback address '" + address + "' must have the form <mailbox>@"
                    + peerDomain);
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.isEmpty()) {
            return AddressCheck.invalid("loopback address '" + address + "' has no mailbox name before '@'");
        }
        if (local.length() > MAX_LOCAL_PART) {
            return AddressCheck.invalid("mailbox name of loopback address '" + address + "' has " + local.length()
                    + " characters, at most " + MAX_LOCAL_PART + " are allowed");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            // Checked before lower-casing: non-ASCII letters such as the Kelvin sign would lower-case into ASCII.
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-')) {
                return AddressCheck.invalid("mailbox name of loopback address '" + address + "' contains '" + c
                        + "'; only a-z, 0-9, '.', '_' and '-' are allowed");
            }
        }
        String normalDomain = asciiLowerCase(domain);
        if (normalDomain == null || !normalDomain.equals(peerDomain) && !normalDomain.equals(GATEWAY_DOMAIN)) {
            return AddressCheck.invalid("domain '" + domain + "' of loopback address '" + address
                    + "' is not served by the loopback channel; use <mailbox>@" + peerDomain
                    + " (or <participant>@" + GATEWAY_DOMAIN + " for the gateway's own participants)");
        }
        return AddressCheck.valid(local.toLowerCase(Locale.ROOT) + "@" + normalDomain);
    }

    /** The local part of a normalised address. */
    static String mailbox(String normalized) {
        return normalized.substring(0, normalized.indexOf('@'));
    }

    static boolean isGatewayParticipant(String normalized) {
        return normalized.endsWith("@" + GATEWAY_DOMAIN);
    }

    private static String asciiLowerCase(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7e || text.charAt(i) < 0x21) {
                return null;
            }
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
