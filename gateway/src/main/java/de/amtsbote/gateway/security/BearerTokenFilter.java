package de.amtsbote.gateway.security;

import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.api.Problems;
import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}. A request without the header goes on unauthenticated (and
 * is refused by authorisation unless it asks for health); a wrong token is refused here and never reaches a
 * controller. The token is never logged.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final String SCHEME = "bearer ";

    private final ClientRegistry clients;
    private final Problems problems;
    private final AuditTrail audit;

    BearerTokenFilter(ClientRegistry clients, Problems problems, AuditTrail audit) {
        this.clients = clients;
        this.problems = problems;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            problems.write(request, response, ProblemType.UNAUTHENTICATED,
                    "the Authorization header must be 'Bearer <token>'");
            return;
        }
        Optional<ClientSystem> client = clients.byToken(header.substring(SCHEME.length()).trim());
        if (client.isEmpty()) {
            log.warn("refused an unknown bearer token from {} for {} {}", request.getRemoteAddr(), request.getMethod(),
                    request.getRequestURI());
            audit.record(AuditActor.client("(unknown token)"), "client.refused", "", AuditDetail.of()
                    .with("remote", request.getRemoteAddr()).with("request", request.getMethod() + " "
                            + request.getRequestURI()));
            problems.write(request, response, ProblemType.UNAUTHENTICATED, "the bearer token is not valid");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new ClientAuthentication(client.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
