package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.console.ConsoleRole;
import de.amtsbote.gateway.console.DashboardPanel;
import java.util.Map;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** The start page's panel for operators and auditors: the last 24 hours' deliveries by state, and the hourly chart. */
@Component
class MessagesPanel implements DashboardPanel {

    private final MessageActivity activity;

    MessagesPanel(MessageActivity activity) {
        this.activity = activity;
    }

    @Override
    public String fragment() {
        return "console/messages/panels :: activity";
    }

    @Override
    public boolean visibleTo(Authentication person) {
        return DashboardPanel.holds(person, ConsoleRole.OPERATOR) || DashboardPanel.holds(person, ConsoleRole.AUDITOR);
    }

    @Override
    public Map<String, Object> model(Authentication person) {
        return Map.of("activity", activity.last24Hours(LocaleContextHolder.getLocale()));
    }

    @Override
    public int order() {
        return 10;
    }
}
