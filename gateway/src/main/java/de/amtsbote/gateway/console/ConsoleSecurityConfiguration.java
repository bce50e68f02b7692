package de.amtsbote.gateway.console;

import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's own security chain, ahead of the API's: form login with the configured people, a session cookie
 * that is {@code HttpOnly} and {@code SameSite=Strict}, CSRF tokens on every form, a content security policy that
 * allows nothing but the console's own scripts and styles, and role checks per area (docs/console.md). Every login,
 * refused login and logout is in the audit trail.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
@ConditionalOnProperty(name = "amtsbote.console.enabled", havingValue = "true", matchIfMissing = true)
class ConsoleSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSecurityConfiguration.class);

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    @Bean
    ConsoleUsers consoleUsers(ConsoleProperties properties, Clock clock) {
        ConsoleUsers users = new ConsoleUsers(properties, clock);
        if (users.isEmpty()) {
            log.info("the console at /console has no users (amtsbote.console.users): nobody can log in");
        }
        return users;
    }

    @Bean
    @Order(1)
    SecurityFilterChain console(HttpSecurity http, ConsoleUsers users, AuditTrail audit, ConsoleProperties properties,
                                ObjectProvider<ClientRegistrationRepository> registrations) throws Exception {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        SavedRequestAwareAuthenticationSuccessHandler toWhereTheyWanted = new SavedRequestAwareAuthenticationSuccessHandler();
        toWhereTheyWanted.setDefaultTargetUrl(ConsolePaths.HOME);
        AuthenticationSuccessHandler loggedIn = (request, response, authentication) -> {
            users.succeeded(authentication.getName());
            audit.record(AuditActor.person(authentication.getName()), "console.login", "", AuditDetail.of()
                    .with("remote", request.getRemoteAddr())
                    .with("via", authentication instanceof OAuth2AuthenticationToken ? "oidc" : "password"));
            toWhereTheyWanted.onAuthenticationSuccess(request, response, authentication);
        };
        if (properties.oidc().enabled()) {
            oidc(http, properties.oidc(), registrations, loggedIn, audit);
        }
        http
                .securityMatcher("/console", "/console/**")
                // added to this chain's manager; an OIDC login adds its own providers beside it
                .authenticationProvider(provider)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .frameOptions(f -> f.deny()))
                .formLogin(form -> form
                        .loginPage(ConsolePaths.LOGIN).permitAll()
                        .successHandler(loggedIn)
                        .failureHandler((request, response, exception) -> {
                            String name = userName(request);
                            boolean lockedNow = users.failed(name);
                            String why = exception instanceof LockedException ? "locked" : "bad-credentials";
                            audit.record(AuditActor.person(name.isEmpty() ? "(none)" : name), "console.login-refused",
                                    "", AuditDetail.of().with("remote", request.getRemoteAddr()).with("reason", why));
                            if (lockedNow) {
                                log.warn("console user {} locked after repeated failed logins from {}", name,
                                        request.getRemoteAddr());
                            }
                            response.sendRedirect(request.getContextPath() + ConsolePaths.LOGIN + "?error="
                                    + (exception instanceof LockedException ? "locked" : "credentials"));
                        }))
                .logout(logout -> logout
                        .logoutUrl(ConsolePaths.LOGOUT)
                        .addLogoutHandler((request, response, authentication) -> {
                            if (authentication != null) {
                                audit.record(AuditActor.person(authentication.getName()), "console.logout", "",
                                        AuditDetail.of());
                            }
                        })
                        .logoutSuccessUrl(ConsolePaths.LOGIN + "?logout")
                        .deleteCookies("JSESSIONID"))
                .sessionManagement(s -> s.sessionFixation(f -> f.newSession()))
                .authorizeHttpRequests(a -> a
                        // the denied page and error pages are forwards of a request that was already decided
                        .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR).permitAll()
                        .requestMatchers(ConsolePaths.ASSETS + "/**", ConsolePaths.LOGIN).permitAll()
                        // changes first: only the role that owns an area changes anything in it; auditors read
                        .requestMatchers(HttpMethod.POST, ConsolePaths.CERTIFICATES + "/**")
                        .hasRole(ConsoleRole.SECURITY_OFFICER.name())
                        .requestMatchers(HttpMethod.POST, ConsolePaths.MESSAGES + "/**", ConsolePaths.QUARANTINE + "/**")
                        .hasRole(ConsoleRole.OPERATOR.name())
                        .requestMatchers(ConsolePaths.CERTIFICATES, ConsolePaths.CERTIFICATES + "/**")
                        .hasAnyRole(ConsoleRole.SECURITY_OFFICER.name(), ConsoleRole.AUDITOR.name())
                        .requestMatchers(ConsolePaths.MESSAGES, ConsolePaths.MESSAGES + "/**",
                                ConsolePaths.QUARANTINE, ConsolePaths.QUARANTINE + "/**")
                        .hasAnyRole(ConsoleRole.OPERATOR.name(), ConsoleRole.AUDITOR.name())
                        .requestMatchers(ConsolePaths.AUDIT, ConsolePaths.AUDIT + "/**")
                        .hasRole(ConsoleRole.AUDITOR.name())
                        .requestMatchers(HttpMethod.GET, ConsolePaths.HOME, ConsolePaths.DENIED).authenticated()
                        .requestMatchers(HttpMethod.POST, ConsolePaths.LOGOUT).authenticated()
                        // anything else under /console that no area claims: nobody, so a new page is closed until
                        // it is given a role here
                        .anyRequest().denyAll())
                .exceptionHandling(e -> e.accessDeniedPage(ConsolePaths.DENIED));
        return http.build();
    }

    /**
     * Login through the identity provider, on paths under /console so that this chain handles them: the browser is
     * sent to /console/oauth2/authorization/{id} and comes back to /console/oauth2/code/{id}.
     */
    private static void oidc(HttpSecurity http, ConsoleProperties.Oidc settings,
                             ObjectProvider<ClientRegistrationRepository> registrations,
                             AuthenticationSuccessHandler loggedIn, AuditTrail audit) throws Exception {
        ClientRegistrationRepository repository = registrations.getIfAvailable();
        if (repository == null || repository.findByRegistrationId(settings.registration()) == null) {
            throw new IllegalStateException("amtsbote.console.oidc.registration '" + settings.registration()
                    + "' names no spring.security.oauth2.client.registration." + settings.registration());
        }
        if (settings.roleMapping().isEmpty()) {
            throw new IllegalStateException("amtsbote.console.oidc.role-mapping is empty: nobody logging in through"
                    + " the identity provider would get a role");
        }
        http.oauth2Login(o -> o
                .loginPage(ConsolePaths.LOGIN)
                .clientRegistrationRepository(repository)
                .authorizationEndpoint(a -> a.baseUri(ConsolePaths.OIDC_START))
                .redirectionEndpoint(r -> r.baseUri(ConsolePaths.OIDC_CALLBACK + "/*"))
                .userInfoEndpoint(u -> u.oidcUserService(new OidcRoles(settings)))
                .successHandler(loggedIn)
                .failureHandler((request, response, exception) -> {
                    boolean noRole = exception instanceof OAuth2AuthenticationException e
                            && OidcRoles.NO_ROLE.equals(e.getError().getErrorCode());
                    audit.record(AuditActor.person("(identity provider)"), "console.login-refused", "",
                            AuditDetail.of().with("remote", request.getRemoteAddr()).with("reason",
                                    exception.getMessage()));
                    log.warn("console login through the identity provider refused: {}", exception.getMessage());
                    response.sendRedirect(request.getContextPath() + ConsolePaths.LOGIN + "?error="
                            + (noRole ? "no-role" : "oidc"));
                }));
    }

    private static String userName(HttpServletRequest request) {
        String name = request.getParameter("username");
        return name == null ? "" : name.strip();
    }
}
