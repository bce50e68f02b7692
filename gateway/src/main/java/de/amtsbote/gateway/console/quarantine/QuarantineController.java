package de.amtsbote.gateway.console.quarantine;

import de.amtsbote.gateway.console.ConsolePaths;
import de.amtsbote.gateway.inbox.QuarantineRecheck;
import de.amtsbote.gateway.quarantine.QuarantineEntry;
import de.amtsbote.gateway.quarantine.QuarantineEvent;
import de.amtsbote.gateway.quarantine.QuarantineRefusal;
import de.amtsbote.gateway.quarantine.QuarantineStore;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The quarantine area: what arrived but failed a check, with its reason; operators release (the channel checks it
 * again) or reject, auditors look. Who may post is decided by the console's security chain (operators only).
 */
@Controller
class QuarantineController {

    static final int PAGE = 50;

    private final QuarantineStore store;
    private final QuarantineDecisions decisions;
    private final MessageSource texts;

    QuarantineController(QuarantineStore store, QuarantineDecisions decisions, MessageSource texts) {
        this.store = store;
        this.decisions = decisions;
        this.texts = texts;
    }

    @GetMapping(ConsolePaths.QUARANTINE)
    String list(@RequestParam(defaultValue = "open") String status, @RequestParam(required = false) String after,
                Model model, Locale locale) {
        boolean open = !"decided".equals(status);
        QuarantineStore.Cursor cursor = after == null || after.isBlank() ? null
                : store.find(after).map(e -> new QuarantineStore.Cursor(e.receivedAt(), e.id())).orElseThrow(() ->
                        notFound(after, locale));
        List<QuarantineEntry> entries = store.page(open, cursor, PAGE + 1);
        boolean more = entries.size() > PAGE;
        List<QuarantineEntry> shown = more ? entries.subList(0, PAGE) : entries;
        model.addAttribute("status", open ? "open" : "decided");
        model.addAttribute("entries", shown);
        model.addAttribute("next", more ? shown.get(shown.size() - 1).id() : null);
        model.addAttribute("first", cursor == null);
        model.addAttribute("when", new ConsoleTimes(locale));
        return "console/quarantine/list";
    }

    @GetMapping(ConsolePaths.QUARANTINE + "/{id}")
    String detail(@PathVariable String id, Model model, Locale locale) {
        QuarantineEntry entry = entry(id, locale);
        model.addAttribute("entry", entry);
        model.addAttribute("history", store.history(id));
        model.addAttribute("when", new ConsoleTimes(locale));
        return "console/quarantine/detail";
    }

    /** The raw item exactly as received, for analysis: always a download, never shown in the browser. */
    @GetMapping(ConsolePaths.QUARANTINE + "/{id}/raw")
    ResponseEntity<InputStreamResource> raw(@PathVariable String id, Authentication person, Locale locale)
            throws java.io.IOException {
        QuarantineEntry entry = entry(id, locale);
        return download(entry, null, "quarantine-" + id + ".raw", entry.size(), person);
    }

    /** The raw content of a re-arrival whose bytes differed from the item's. */
    @GetMapping(ConsolePaths.QUARANTINE + "/{id}/history/{seq}/raw")
    ResponseEntity<InputStreamResource> arrivalRaw(@PathVariable String id, @PathVariable int seq,
                                                     Authentication person, Locale locale) throws java.io.IOException {
        QuarantineEntry entry = entry(id, locale);
        QuarantineEvent event = store.history(id).stream().filter(e -> e.seq() == seq && e.contentId() != null)
                .findFirst().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        texts.getMessage("quarantine.problem.noArrivalContent", new Object[] {id, seq}, locale)));
        return download(entry, event.contentId(), "quarantine-" + id + "-" + seq + ".raw", -1, person);
    }

    private ResponseEntity<InputStreamResource> download(QuarantineEntry entry, String contentId, String name,
                                                         long size, Authentication person) throws java.io.IOException {
        if (contentId == null && entry.contentId() == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, texts.getMessage("quarantine.problem.noRaw",
                    new Object[] {entry.id()}, LocaleContextHolder.getLocale()));
        }
        InputStreamResource body = new InputStreamResource(decisions.raw(entry, contentId, person));
        ResponseEntity.BodyBuilder r = ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build()
                        .toString());
        if (size >= 0) {
            r = r.contentLength(size);
        }
        return r.body(body);
    }

    @PostMapping(ConsolePaths.QUARANTINE + "/{id}/release")
    String release(@PathVariable String id, Authentication person, RedirectAttributes flash, Locale locale) {
        try {
            QuarantineRecheck.Result r = decisions.release(id, person);
            if (r.released()) {
                flash.addFlashAttribute("notice", texts.getMessage("quarantine.released.notice",
                        new Object[] {String.join(", ", r.inboxIds())}, locale));
            } else {
                flash.addFlashAttribute("problem", texts.getMessage("quarantine.recheckFailed.problem",
                        new Object[] {r.reason()}, locale));
            }
        } catch (QuarantineRefusal e) {
            refused(e, id, flash, locale);
        }
        return "redirect:" + ConsolePaths.QUARANTINE + "/" + id;
    }

    @PostMapping(ConsolePaths.QUARANTINE + "/{id}/reject")
    String reject(@PathVariable String id, @RequestParam(required = false) String reason, Authentication person,
                  RedirectAttributes flash, Locale locale) {
        try {
            decisions.reject(id, person, reason);
            flash.addFlashAttribute("notice", texts.getMessage("quarantine.rejected.notice", null, locale));
        } catch (QuarantineRefusal e) {
            if (e.kind() == QuarantineRefusal.Kind.REASON_MISSING || e.kind() == QuarantineRefusal.Kind.REASON_TOO_LONG) {
                flash.addFlashAttribute("rejectError", problem(e, locale));
                flash.addFlashAttribute("rejectReason", reason);
            } else {
                refused(e, id, flash, locale);
            }
        }
        return "redirect:" + ConsolePaths.QUARANTINE + "/" + id;
    }

    private void refused(QuarantineRefusal e, String id, RedirectAttributes flash, Locale locale) {
        if (e.kind() == QuarantineRefusal.Kind.UNKNOWN) {
            throw notFound(id, locale);
        }
        flash.addFlashAttribute("problem", problem(e, locale));
    }

    private String problem(QuarantineRefusal e, Locale locale) {
        Object[] args = e.arguments().stream().map(a -> a instanceof java.time.Instant t
                ? new ConsoleTimes(locale).format(t) : a instanceof String s && isStatus(s)
                ? texts.getMessage("quarantine.status." + s, null, locale) : a).toArray();
        return texts.getMessage("quarantine.problem." + e.kind().name(), args, locale);
    }

    private static boolean isStatus(String s) {
        return s.equals("OPEN") || s.equals("RELEASED") || s.equals("REJECTED");
    }

    private QuarantineEntry entry(String id, Locale locale) {
        return store.find(id).orElseThrow(() -> notFound(id, locale));
    }

    private ResponseStatusException notFound(String id, Locale locale) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND,
                texts.getMessage("quarantine.problem.UNKNOWN", new Object[] {id}, locale));
    }
}
