package de.amtsbote.adapter.bebpo;

import de.amtsbote.spi.AddressCheck;
import java.util.regex.Pattern;

/**
 * Mailbox (Postfach) ids, contract section 1: {@code DE.<Organisation>.<UUID>}, case-sensitive, 1–128 characters of
 * {@code [A-Za-z0-9._-]}, starting {@code DE.}.
 */
final class MailboxId {

    private static final Pattern SYNTAX = Pattern.compile("DE\\.[A-Za-z0-9._-]{1,125}");

    private MailboxId() {
    }

    static AddressCheck check(String id) {
        if (id == null || id.isEmpty()) {
            return AddressCheck.invalid("a beBPo mailbox id is empty");
        }
        if (id.length() > 128) {
            return AddressCheck.invalid("a beBPo mailbox id has at most 128 characters, this one " + id.length());
        }
        if (!id.startsWith("DE.")) {
            return AddressCheck.invalid("a beBPo mailbox id starts with 'DE.' (case-sensitive), e.g."
                    + " DE.Justiz.5c1c2c4e-9f1e-4c5b-9d3a-0e4c1b2a7f60");
        }
        if (!SYNTAX.matcher(id).matches()) {
            return AddressCheck.invalid("a beBPo mailbox id consists of letters, digits, '.', '_' and '-' only: '"
                    + id + "'");
        }
        return AddressCheck.valid(id);
    }

    static boolean valid(String id) {
        return check(id).isValid();
    }
}
