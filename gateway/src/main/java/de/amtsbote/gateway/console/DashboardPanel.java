package de.amtsbote.gateway.console;

import java.util.Map;
import org.springframework.security.core.Authentication;

/**
 * A panel an area contributes to the console's start page (the operator's message states, the officer's expiring
 * certificates). The dashboard renders the visible panels in {@link #order()}; each brings its own template fragment,
 * so an area's numbers stay in its own package.
 */
public interface DashboardPanel {

    /** Template and fragment, e.g. {@code "console/messages/panels :: states"}; it receives {@code panel} (the model). */
    String fragment();

    /** Whether the person may see this panel. */
    boolean visibleTo(Authentication person);

    /** What the fragment shows; computed per request. */
    Map<String, Object> model(Authentication person);

    default int order() {
        return 100;
    }

    /** Whether the person holds the role. */
    static boolean holds(Authentication person, ConsoleRole role) {
        return person.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(role.authority()));
    }
}
