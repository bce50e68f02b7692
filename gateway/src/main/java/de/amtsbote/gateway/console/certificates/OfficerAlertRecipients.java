package de.amtsbote.gateway.console.certificates;

import de.amtsbote.gateway.certificates.AlertRecipients;
import de.amtsbote.gateway.console.ConsoleProperties;
import de.amtsbote.gateway.console.ConsoleRole;
import de.amtsbote.gateway.console.ConsoleUsers;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Certificate expiry alerts go to the console's security officers who have an e-mail address. */
@Component
class OfficerAlertRecipients implements AlertRecipients {

    private final ObjectProvider<ConsoleUsers> users;

    OfficerAlertRecipients(ObjectProvider<ConsoleUsers> users) {
        this.users = users;
    }

    @Override
    public List<String> expiryAlertAddresses() {
        ConsoleUsers u = users.getIfAvailable();
        if (u == null) {
            return List.of();
        }
        return u.withRole(ConsoleRole.SECURITY_OFFICER).stream().map(ConsoleProperties.User::email)
                .filter(e -> e != null && !e.isBlank()).map(String::strip).toList();
    }
}
