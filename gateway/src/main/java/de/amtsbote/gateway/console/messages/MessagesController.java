package de.amtsbote.gateway.console.messages;

import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.bundle.EvidenceBundle;
import de.amtsbote.gateway.bundle.EvidenceBundles;
import de.amtsbote.gateway.console.ConsoleAudit;
import de.amtsbote.gateway.console.ConsolePaths;
import de.amtsbote.gateway.delivery.DeliveryState;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Message tracking in the console (docs/console/messages.md): search, a message with each delivery's evidence
 * timeline and downloads, and the operator's retry and cancel. Reading is for operators and auditors, changing for
 * operators only — the console's security chain decides that by path and method before a request gets here.
 */
@Controller
@RequestMapping(ConsolePaths.MESSAGES)
class MessagesController {

    private final MessageSearch search;
    private final MessageDetails details;
    private final MessageActivity activity;
    private final DeliveryOperations operations;
    private final EvidenceRepository evidence;
    private final EvidenceBundles bundles;
    private final ParticipantDirectory participants;
    private final ConsoleAudit audit;
    private final MessageSource texts;

    MessagesController(MessageSearch search, MessageDetails details, MessageActivity activity,
                       DeliveryOperations operations, EvidenceRepository evidence, EvidenceBundles bundles,
                       ParticipantDirectory participants, ConsoleAudit audit, MessageSource texts) {
        this.search = search;
        this.details = details;
        this.activity = activity;
        this.operations = operations;
        this.evidence = evidence;
        this.bundles = bundles;
        this.participants = participants;
        this.audit = audit;
        this.texts = texts;
    }

    @GetMapping
    String search(@RequestParam(required = false) String reference, @RequestParam(required = false) String recipient,
                  @RequestParam(required = false) String state, @RequestParam(required = false) String sender,
                  @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  @RequestParam(required = false) String before, @RequestParam(required = false) String after,
                  HttpServletRequest request, Model model, Locale locale) {
        SearchFilter.Parsed parsed = SearchFilter.parse(reference, recipient, state, sender, from, to, before, after);
        Map<String, String> errors = new LinkedHashMap<>();
        parsed.errors().forEach((field, p) -> errors.put(field, texts.getMessage(p.key(), new Object[] {p.value()},
                locale)));
        String base = request.getContextPath() + ConsolePaths.MESSAGES;
        model.addAttribute("form", parsed.form());
        model.addAttribute("errors", errors);
        model.addAttribute("states", Arrays.asList(DeliveryState.values()));
        List<Participant> senders = participants.all().stream().filter(Participant::own).toList();
        model.addAttribute("senders", senders);
        model.addAttribute("unknownSender", parsed.form().sender() != null
                && senders.stream().noneMatch(p -> p.id().equals(parsed.form().sender())));
        model.addAttribute("times", new TimeFormat(locale));
        model.addAttribute("activity", activity.last24Hours(locale));
        if (errors.isEmpty()) {
            MessageSearch.Page page = search.search(parsed.filter());
            model.addAttribute("page", page);
            model.addAttribute("newerUrl", page.newer() == null ? null
                    : SearchFilter.url(base, parsed.form(), "after", page.newer()));
            model.addAttribute("olderUrl", page.older() == null ? null
                    : SearchFilter.url(base, parsed.form(), "before", page.older()));
            model.addAttribute("firstUrl", page.newer() == null ? null
                    : SearchFilter.url(base, parsed.form(), null, null));
        }
        return "console/messages/search";
    }

    @GetMapping("/{id}")
    String message(@PathVariable String id, Model model, Locale locale) {
        MessageDetails.Details d = details.find(id).orElseThrow(() -> notFound(id));
        model.addAttribute("m", d.message());
        model.addAttribute("deliveries", d.deliveries());
        model.addAttribute("times", new TimeFormat(locale));
        model.addAttribute("maxReason", DeliveryOperations.MAX_REASON);
        return "console/messages/message";
    }

    /** One signed evidence document, byte for byte as stored (the API's {@code GET /api/v1/evidence/{id}}). */
    @GetMapping("/{id}/evidence/{evidenceId}")
    ResponseEntity<byte[]> evidence(@PathVariable String id, @PathVariable String evidenceId,
                                    Authentication person) {
        EvidenceRepository.StoredEvidence stored = evidence.find(evidenceId)
                .filter(e -> e.messageId().equals(id))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "no evidence " + evidenceId + " of message " + id));
        audit.record(person, "evidence.read", AuditTrail.subjects("message", id, "evidence", evidenceId),
                AuditDetail.of().with("via", "console"));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("evidence-" + evidenceId + ".xml").build().toString())
                .body(stored.document());
    }

    /** The message's evidence bundle, as the API's {@code GET /api/v1/messages/{id}/evidence-bundle} makes it. */
    @GetMapping("/{id}/evidence-bundle")
    void bundle(@PathVariable String id, HttpServletResponse response) throws IOException {
        EvidenceBundle bundle = bundles.prepare(id).orElseThrow(() -> notFound(id));
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("evidence-" + id + ".zip").build().toString());
        bundles.write(bundle, response.getOutputStream());
        response.flushBuffer();
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/retry")
    String retry(@PathVariable String id, @PathVariable String deliveryId,
                 @RequestParam(defaultValue = "") String reason, Authentication person, RedirectAttributes flash,
                 Locale locale) {
        return act("retry", id, deliveryId, reason, flash, locale,
                why -> operations.retry(person, id, deliveryId, why));
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/cancel")
    String cancel(@PathVariable String id, @PathVariable String deliveryId,
                  @RequestParam(defaultValue = "") String reason, Authentication person, RedirectAttributes flash,
                  Locale locale) {
        return act("cancel", id, deliveryId, reason, flash, locale,
                why -> operations.cancel(person, id, deliveryId, why));
    }

    private String act(String action, String id, String deliveryId, String reason, RedirectAttributes flash,
                       Locale locale, java.util.function.Function<String, DeliveryOperations.Outcome> operation) {
        // a URI template: the redirect expands {id} from the request's path variables, encoded
        String back = "redirect:" + ConsolePaths.MESSAGES + "/{id}";
        String why = reason.strip();
        String reasonProblem = why.isEmpty() ? "messages.reason.missing"
                : why.length() > DeliveryOperations.MAX_REASON ? "messages.reason.tooLong" : null;
        if (reasonProblem != null) {
            String text = texts.getMessage(reasonProblem, new Object[] {DeliveryOperations.MAX_REASON}, locale);
            flash.addFlashAttribute("problem", text);
            flash.addFlashAttribute("failedForm", action + "-" + deliveryId);
            flash.addFlashAttribute("reasonError", text);
            flash.addFlashAttribute("reasonValue", why);
            return back;
        }
        DeliveryOperations.Outcome outcome;
        try {
            outcome = operation.apply(why);
        } catch (DeliveryOperations.UnknownDeliveryException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        }
        Object[] args = outcome.args().clone();
        if (args.length > 0 && args[0] instanceof String state) {
            args[0] = texts.getMessage("messages.state." + state, null, state, locale) + " (" + state + ")";
        }
        flash.addFlashAttribute(outcome.done() ? "notice" : "problem", texts.getMessage(outcome.key(), args, locale));
        return back;
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no message " + id);
    }

    /** Formats times for the templates in the reader's language ({@code ${times.at(instant)}}). */
    static final class TimeFormat {
        private final Locale locale;

        TimeFormat(Locale locale) {
            this.locale = locale;
        }

        public Times.When at(Instant instant) {
            return Times.of(instant, locale);
        }
    }
}
