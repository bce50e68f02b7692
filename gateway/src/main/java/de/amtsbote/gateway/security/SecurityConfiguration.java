package de.amtsbote.gateway.security;

import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.api.Problems;
import de.amtsbote.gateway.audit.AuditTrail;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Nothing but health is open. Client systems authenticate with bearer tokens; the API keeps no sessions and sets
 * no cookies, which is why CSRF protection does not apply to it (the console, which has sessions, will).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ClientRegistry clients, Problems problems, AuditTrail audit) throws Exception {
        http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterBefore(new BearerTokenFilter(clients, problems, audit), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole(ClientSystem.MONITORING)
                        .requestMatchers("/api/v1/audit", "/api/v1/audit/**").hasRole(ClientSystem.AUDITOR)
                        .requestMatchers("/api/v1/certificates", "/api/v1/certificates/**", "/api/v1/trust-anchors",
                                "/api/v1/trust-anchors/**").hasRole(ClientSystem.SECURITY_OFFICER)
                        .anyRequest().hasRole("CLIENT"))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problems.write(request, response,
                                ProblemType.UNAUTHENTICATED, "this request needs 'Authorization: Bearer <token>'"))
                        .accessDeniedHandler((request, response, ex) -> problems.write(request, response,
                                ProblemType.FORBIDDEN, "this client system may not use " + request.getRequestURI())));
        return http.build();
    }
}
