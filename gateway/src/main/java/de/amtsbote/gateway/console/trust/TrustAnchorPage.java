package de.amtsbote.gateway.console.trust;

import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.certificates.CryptoProperties;
import de.amtsbote.gateway.certificates.TrustAnchor;
import de.amtsbote.gateway.certificates.TrustAnchorException;
import de.amtsbote.gateway.certificates.TrustAnchors;
import de.amtsbote.gateway.console.ConsoleAudit;
import de.amtsbote.gateway.console.ConsolePaths;
import de.amtsbote.gateway.trust.TrustAudit;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /console/certificates/trust}: the certificate authorities the gateway trusts. Security officers add a CA
 * certificate from PEM and remove anchors they added (each with a reason); auditors read. The security chain enforces
 * the roles (POST under {@code /console/certificates/**}: security officers only). Every change, and every refused
 * attempt, is in the audit trail as the person, in the change's transaction.
 */
@Controller
@RequestMapping(TrustAnchorPage.PATH)
class TrustAnchorPage {

    static final String PATH = ConsolePaths.CERTIFICATES + "/trust";
    private static final String VIEW = "console/trust";
    /** Below this many days left an anchor is marked as expiring soon. */
    private static final long SOON_DAYS = 90;

    private final TrustAnchors anchors;
    private final ConsoleAudit audit;
    private final MessageSource texts;
    private final Clock clock;
    private final long checkSeconds;

    TrustAnchorPage(TrustAnchors anchors, ConsoleAudit audit, MessageSource texts, Clock clock,
                    CryptoProperties crypto) {
        this.anchors = anchors;
        this.audit = audit;
        this.texts = texts;
        this.clock = clock;
        this.checkSeconds = Math.max(1, crypto.trustAnchorCheckInterval().toSeconds());
    }

    @GetMapping
    String page(Model model) {
        return show(model, "", "");
    }

    @PostMapping
    String add(@RequestParam(defaultValue = "") String pem, @RequestParam(defaultValue = "") String reason,
               Authentication person, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        try {
            TrustAnchor added = anchors.add(pem, reason, person.getName(), TrustAnchor.Via.CONSOLE,
                    a -> audit.record(person, "trust-anchor.add", AuditTrail.subjects("trust-anchor", a.fingerprint()),
                            TrustAudit.detail(a, a.added())));
            redirect.addFlashAttribute("notice", text("trust.added", added.subject()));
            return "redirect:" + PATH;
        } catch (TrustAnchorException e) {
            audit.record(person, "trust-anchor.refused", "", TrustAudit.refusal("add", e));
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("addError", new Problem(explain(e, ""), technical(e),
                    e.kind() == TrustAnchorException.Kind.REASON_MISSING ? "reason" : "pem"));
            return show(model, pem, reason);
        }
    }

    @PostMapping("/{fingerprint}/remove")
    String remove(@PathVariable String fingerprint, @RequestParam(defaultValue = "") String reason,
                  Authentication person, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        try {
            TrustAnchor removed = anchors.remove(fingerprint, reason, person.getName(), TrustAnchor.Via.CONSOLE,
                    a -> audit.record(person, "trust-anchor.remove",
                            AuditTrail.subjects("trust-anchor", a.fingerprint()), TrustAudit.detail(a, a.removed())));
            redirect.addFlashAttribute("notice", text("trust.removed", removed.subject()));
            return "redirect:" + PATH;
        } catch (TrustAnchorException e) {
            audit.record(person, "trust-anchor.refused",
                    AuditTrail.subjects("trust-anchor", TrustAnchors.normalised(fingerprint)),
                    TrustAudit.refusal("remove", e));
            response.setStatus(e.kind() == TrustAnchorException.Kind.NOT_FOUND ? HttpStatus.NOT_FOUND.value()
                    : HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("removeError", new Problem(explain(e, fingerprint), null, "reason"));
            model.addAttribute("removeFingerprint", TrustAnchors.normalised(fingerprint));
            model.addAttribute("removeReason", reason);
            String shown = show(model, "", "");
            // at the row's reason field if the anchor has one, else above the table's end
            model.addAttribute("removeErrorInRow", anchors.inForce().stream().anyMatch(a -> a.removable()
                    && a.fingerprint().equals(TrustAnchors.normalised(fingerprint))));
            return shown;
        }
    }

    private String show(Model model, String pem, String reason) {
        Instant now = clock.instant();
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("anchors", anchors.inForce().stream().map(a -> Row.of(a, now, locale)).toList());
        model.addAttribute("removed", anchors.removed().stream().map(a -> Row.of(a, now, locale)).toList());
        model.addAttribute("pem", pem);
        model.addAttribute("reason", reason);
        model.addAttribute("checkSeconds", checkSeconds);
        return VIEW;
    }

    /** The refusal in the person's language. */
    private String explain(TrustAnchorException e, String fingerprint) {
        Locale locale = LocaleContextHolder.getLocale();
        return switch (e.kind()) {
            case REFUSED -> text("trust.refused." + e.refusal().orElseThrow().name());
            case ALREADY_TRUSTED -> {
                TrustAnchor a = e.anchor().orElseThrow();
                yield a.source() == TrustAnchor.Source.CONFIGURATION
                        ? text("trust.error.ALREADY_CONFIGURED", a.subject(), a.file())
                        : text("trust.error.ALREADY_ADDED", a.subject(), a.added().by(),
                        Row.dateTime(a.added().at(), locale));
            }
            case CONFIGURED -> text("trust.error.CONFIGURED", e.anchor().orElseThrow().subject(),
                    e.anchor().orElseThrow().file());
            case NOT_FOUND -> text("trust.error.NOT_FOUND", fingerprint);
            case REASON_MISSING -> text("trust.error.REASON_MISSING");
        };
    }

    /** The English sentence that names the certificate and the rule, where it adds to the explanation. */
    private static String technical(TrustAnchorException e) {
        return e.kind() == TrustAnchorException.Kind.REFUSED ? e.getMessage() : null;
    }

    private String text(String key, Object... args) {
        return texts.getMessage(key, args, LocaleContextHolder.getLocale());
    }

    /** A refusal shown at a form: the explanation, the technical detail (English) and the field it concerns. */
    record Problem(String text, String technical, String field) {
    }

    /** An anchor as the page shows it: dates in the person's language and the system's time zone. */
    record Row(String fingerprint, String subject, String notAfter, String notAfterIso, long daysLeft,
               String validity, String source, String file, String addedBy, String addedVia, String addedAt,
               String addedReason, String removedBy, String removedVia, String removedAt, String removalReason,
               boolean removable) {

        static Row of(TrustAnchor a, Instant now, Locale locale) {
            long days = a.daysLeft(now);
            String validity = a.notAfter().isBefore(now) ? "bad" : days < SOON_DAYS ? "warn" : "ok";
            TrustAnchor.Change added = a.added();
            TrustAnchor.Change removed = a.removed();
            return new Row(a.fingerprint(), a.subject(), date(a.notAfter(), locale), a.notAfter().toString(), days,
                    validity, a.source().name(), a.file() == null ? null : a.file().toString(),
                    added == null ? null : added.by(), added == null ? null : added.via().name(),
                    added == null ? null : dateTime(added.at(), locale), added == null ? null : added.reason(),
                    removed == null ? null : removed.by(), removed == null ? null : removed.via().name(),
                    removed == null ? null : dateTime(removed.at(), locale),
                    removed == null ? null : removed.reason(), a.removable());
        }

        static String date(Instant t, Locale locale) {
            return format(t, locale, "dd.MM.yyyy", "yyyy-MM-dd");
        }

        static String dateTime(Instant t, Locale locale) {
            return format(t, locale, "dd.MM.yyyy HH:mm", "yyyy-MM-dd HH:mm");
        }

        private static String format(Instant t, Locale locale, String german, String other) {
            String pattern = "de".equals(locale.getLanguage()) ? german : other;
            return DateTimeFormatter.ofPattern(pattern, locale).withZone(ZoneId.systemDefault()).format(t);
        }
    }
}
