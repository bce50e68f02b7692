package de.amtsbote.gateway.console.certificates;

import de.amtsbote.gateway.certificates.CertificateInventory;
import de.amtsbote.gateway.certificates.Inventory;
import de.amtsbote.gateway.console.ConsoleRole;
import de.amtsbote.gateway.console.DashboardPanel;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** The start page's certificate panel for security officers and auditors: what is expiring, expired, pending. */
@Component
class CertificatesPanel implements DashboardPanel {

    private static final int SHOWN = 5;

    private final CertificateInventory inventory;

    CertificatesPanel(CertificateInventory inventory) {
        this.inventory = inventory;
    }

    /** A certificate that needs attention, soonest first. */
    public record Soon(String name, long days) {
    }

    @Override
    public String fragment() {
        return "console/certificates/panels :: expiry";
    }

    @Override
    public boolean visibleTo(Authentication person) {
        return DashboardPanel.holds(person, ConsoleRole.SECURITY_OFFICER)
                || DashboardPanel.holds(person, ConsoleRole.AUDITOR);
    }

    @Override
    public Map<String, Object> model(Authentication person) {
        Inventory all = inventory.inventory();
        Inventory due = all.expiringOnly();
        List<Soon> soonest = Stream.concat(
                        due.ownKeys().stream().map(k -> new Soon(k.ownerName() + " – " + k.id(), k.daysLeft())),
                        due.partners().stream().map(p -> new Soon(p.address(), p.daysLeft())))
                .sorted(Comparator.comparingLong(Soon::days)).limit(SHOWN).toList();
        return Map.of("expiring", all.expiring(), "expired", all.expired(), "pending", all.pending(),
                "warningDays", all.expiryWarning().toDays(), "soonest", soonest);
    }

    @Override
    public int order() {
        return 30;
    }
}
