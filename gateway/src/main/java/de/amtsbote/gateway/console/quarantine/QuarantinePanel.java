package de.amtsbote.gateway.console.quarantine;

import de.amtsbote.gateway.console.ConsoleRole;
import de.amtsbote.gateway.console.DashboardPanel;
import de.amtsbote.gateway.quarantine.QuarantineStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** The start page's quarantine panel for operators and auditors: how many items wait, and how long the oldest. */
@Component
class QuarantinePanel implements DashboardPanel {

    private final QuarantineStore store;
    private final Clock clock;

    QuarantinePanel(QuarantineStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String fragment() {
        return "console/quarantine/panels :: open";
    }

    @Override
    public boolean visibleTo(Authentication person) {
        return DashboardPanel.holds(person, ConsoleRole.OPERATOR) || DashboardPanel.holds(person, ConsoleRole.AUDITOR);
    }

    @Override
    public Map<String, Object> model(Authentication person) {
        QuarantineStore.OpenSummary open = store.openSummary();
        Map<String, Object> model = new HashMap<>();
        model.put("count", open.count());
        model.put("oldest", new ConsoleTimes(LocaleContextHolder.getLocale()).format(open.oldest()));
        model.put("age", open.oldest() == null ? null : ConsoleTimes.Age.between(open.oldest(), clock.instant()));
        return model;
    }

    @Override
    public int order() {
        return 30;
    }
}
