package de.amtsbote.gateway.trust;

import de.amtsbote.crypto.validation.TrustAnchorCandidate;
import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.certificates.TrustAnchor;
import de.amtsbote.gateway.certificates.TrustAnchorException;
import de.amtsbote.gateway.certificates.TrustAnchors;
import de.amtsbote.gateway.security.ClientSystem;
import de.amtsbote.gateway.security.CurrentClient;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The trust anchors for scripting (client systems with the role {@code SECURITY_OFFICER}, e.g. {@code ./amtsbote
 * trust}): list, add from PEM, remove. The same rules and the same effect as the console page; every change is in the
 * audit trail as the client system, in the change's transaction.
 */
@RestController
@Tag(name = "Trust anchors", description = "certificate authorities the gateway trusts (role SECURITY_OFFICER)")
@RequestMapping("/api/v1/trust-anchors")
class TrustAnchorController {

    static final String PEM = "application/x-pem-file";

    private final TrustAnchors anchors;
    private final AuditTrail audit;
    private final Clock clock;

    TrustAnchorController(TrustAnchors anchors, AuditTrail audit, Clock clock) {
        this.anchors = anchors;
        this.audit = audit;
        this.clock = clock;
    }

    /** The anchors in force (configured and added) and the removed ones. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    Listing list() {
        Instant now = clock.instant();
        return new Listing(anchors.inForce().stream().map(a -> AnchorView.of(a, now, false)).toList(),
                anchors.removed().stream().map(a -> AnchorView.of(a, now, false)).toList());
    }

    /** One anchor, with its certificate in PEM: the one in force, else the last removed one with that fingerprint. */
    @GetMapping(path = "/{fingerprint}", produces = MediaType.APPLICATION_JSON_VALUE)
    AnchorView one(@PathVariable String fingerprint) {
        return anchors.find(fingerprint).map(a -> AnchorView.of(a, clock.instant(), true))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "no trust anchor has the SHA-256"
                        + " fingerprint " + fingerprint));
    }

    /** Adds the CA certificate in the body (PEM) as a trust anchor; {@code reason} says why. */
    @PostMapping(consumes = {PEM, MediaType.TEXT_PLAIN_VALUE}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AnchorView> add(@RequestParam(required = false) String reason, HttpServletRequest request) {
        ClientSystem client = CurrentClient.get();
        String pem = body(request);
        TrustAnchor added;
        try {
            added = anchors.add(pem, reason, client.id(), TrustAnchor.Via.API, a -> audit.record(
                    AuditActor.client(client.id()), "trust-anchor.add", AuditTrail.subjects("trust-anchor",
                            a.fingerprint()), TrustAudit.detail(a, a.added())));
        } catch (TrustAnchorException e) {
            audit.record(AuditActor.client(client.id()), "trust-anchor.refused", "", TrustAudit.refusal("add", e));
            throw problem(e);
        }
        return ResponseEntity.created(URI.create("/api/v1/trust-anchors/" + added.fingerprint()))
                .body(AnchorView.of(added, clock.instant(), true));
    }

    /** Removes an anchor that was added at run time; {@code reason} says why. Configured anchors stay. */
    @DeleteMapping(path = "/{fingerprint}", produces = MediaType.APPLICATION_JSON_VALUE)
    AnchorView remove(@PathVariable String fingerprint, @RequestParam(required = false) String reason) {
        ClientSystem client = CurrentClient.get();
        TrustAnchor removed;
        try {
            removed = anchors.remove(fingerprint, reason, client.id(), TrustAnchor.Via.API, a -> audit.record(
                    AuditActor.client(client.id()), "trust-anchor.remove", AuditTrail.subjects("trust-anchor",
                            a.fingerprint()), TrustAudit.detail(a, a.removed())));
        } catch (TrustAnchorException e) {
            audit.record(AuditActor.client(client.id()), "trust-anchor.refused",
                    AuditTrail.subjects("trust-anchor", TrustAnchors.normalised(fingerprint)),
                    TrustAudit.refusal("remove", e));
            throw problem(e);
        }
        return AnchorView.of(removed, clock.instant(), false);
    }

    private static String body(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(TrustAnchorCandidate.MAX_PEM_CHARS + 1);
            if (bytes.length > TrustAnchorCandidate.MAX_PEM_CHARS) {
                throw new ApiException(ProblemType.TRUST_ANCHOR_REFUSED, "the body is longer than "
                        + TrustAnchorCandidate.MAX_PEM_CHARS + " bytes; a PEM certificate is a few kilobytes")
                        .with("reason", "MALFORMED_PEM");
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the body could not be read: " + e.getMessage(), e);
        }
    }

    private static ApiException problem(TrustAnchorException e) {
        return switch (e.kind()) {
            case REFUSED -> new ApiException(ProblemType.TRUST_ANCHOR_REFUSED, e.getMessage())
                    .with("reason", e.refusal().orElseThrow().name());
            case ALREADY_TRUSTED, CONFIGURED -> new ApiException(ProblemType.TRUST_ANCHOR_CONFLICT, e.getMessage())
                    .with("reason", e.kind().name())
                    .with("fingerprint", e.anchor().map(TrustAnchor::fingerprint).orElse(""));
            case NOT_FOUND -> new ApiException(ProblemType.NOT_FOUND, e.getMessage());
            case REASON_MISSING -> new ApiException(ProblemType.MALFORMED_REQUEST, "parameter reason: "
                    + e.getMessage());
        };
    }

    record Listing(List<AnchorView> anchors, List<AnchorView> removed) {
    }

    /** An anchor as the API shows it; {@code file} for configured ones, {@code added}/{@code removed} for managed. */
    record AnchorView(String fingerprint, String subject, String issuer, Instant notBefore, Instant notAfter,
                      long daysLeft, String source, String file, ChangeView added, ChangeView removed, String pem) {
        static AnchorView of(TrustAnchor a, Instant now, boolean withPem) {
            return new AnchorView(a.fingerprint(), a.subject(),
                    a.certificate().getIssuerX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253),
                    a.notBefore(), a.notAfter(), a.daysLeft(now), a.source().name(),
                    a.file() == null ? null : a.file().toString(), ChangeView.of(a.added()), ChangeView.of(a.removed()),
                    withPem ? a.pem() : null);
        }
    }

    record ChangeView(Instant at, String by, String via, String reason) {
        static ChangeView of(TrustAnchor.Change c) {
            return c == null ? null : new ChangeView(c.at(), c.by(), c.via().name(), c.reason());
        }
    }
}
