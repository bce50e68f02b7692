package de.amtsbote.gateway.certificates;

import java.util.List;

/**
 * Who receives certificate expiry alerts by mail. The console provides it (the security officers with an e-mail
 * address in {@code amtsbote.console.users}); without a console nobody is mailed and the log line and the metric
 * remain.
 */
public interface AlertRecipients {

    /** The addresses to mail, possibly none. */
    List<String> expiryAlertAddresses();
}
