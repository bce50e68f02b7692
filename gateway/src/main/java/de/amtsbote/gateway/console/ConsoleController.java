package de.amtsbote.gateway.console;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The start page, the login page and the page for a refused area. */
@Controller
class ConsoleController {

    private final List<DashboardPanel> panels;
    private final ConsoleProperties properties;
    private final ObjectProvider<ClientRegistrationRepository> registrations;

    ConsoleController(List<DashboardPanel> panels, ConsoleProperties properties,
                      ObjectProvider<ClientRegistrationRepository> registrations) {
        this.panels = panels.stream().sorted(Comparator.comparingInt(DashboardPanel::order)).toList();
        this.properties = properties;
        this.registrations = registrations;
    }

    @GetMapping(ConsolePaths.HOME)
    String home(Authentication person, Model model) {
        model.addAttribute("panels", panels.stream().filter(p -> p.visibleTo(person))
                .map(p -> new Shown(p.fragment(), p.model(person))).toList());
        return "console/home";
    }

    @GetMapping(ConsolePaths.LOGIN)
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
                 Model model) {
        model.addAttribute("error", error == null ? null
                : List.of("locked", "no-role", "oidc").contains(error) ? error : "credentials");
        model.addAttribute("loggedOut", logout != null);
        if (properties.oidc().enabled()) {
            ClientRegistration r = registrations.getObject().findByRegistrationId(properties.oidc().registration());
            model.addAttribute("oidcName", r.getClientName());
            model.addAttribute("oidcStart", ConsolePaths.OIDC_START + "/" + r.getRegistrationId());
        }
        return "console/login";
    }

    @RequestMapping(ConsolePaths.DENIED)
    String denied(jakarta.servlet.http.HttpServletResponse response) {
        response.setStatus(403);
        return "console/denied";
    }

    /** A panel ready to render: its fragment and its figures. */
    record Shown(String fragment, Map<String, Object> model) {
    }
}
