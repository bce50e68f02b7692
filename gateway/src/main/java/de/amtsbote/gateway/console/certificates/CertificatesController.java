package de.amtsbote.gateway.console.certificates;

import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyState;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.certificates.CertificateInventory;
import de.amtsbote.gateway.certificates.CertificateRefusedException;
import de.amtsbote.gateway.certificates.CertificateStatus;
import de.amtsbote.gateway.certificates.Inventory;
import de.amtsbote.gateway.certificates.OwnKey;
import de.amtsbote.gateway.certificates.PartnerCertificate;
import de.amtsbote.gateway.certificates.RevocationCheck;
import de.amtsbote.gateway.console.BarChart;
import de.amtsbote.gateway.console.ConsoleAudit;
import de.amtsbote.gateway.console.ConsolePaths;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import de.amtsbote.spi.ChannelAddress;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
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
 * The security officer's pages for keys and certificates: the inventory with the expiry timeline, a key's page
 * (certificate request, certificate import, rotation, retirement, revocation check), generating a key, and importing
 * a partner's certificate. Auditors see the same pages without the forms; the security chain refuses their posts.
 * Every change is recorded through {@link ConsoleAudit} in the change's transaction.
 */
@Controller
@RequestMapping(ConsolePaths.CERTIFICATES)
class CertificatesController {

    static final String TRUST = ConsolePaths.CERTIFICATES + "/trust";

    private final CertificateInventory inventory;
    private final ParticipantDirectory participants;
    private final ConsoleAudit audit;
    private final MessageSource texts;

    CertificatesController(CertificateInventory inventory, ParticipantDirectory participants, ConsoleAudit audit,
                           MessageSource texts) {
        this.inventory = inventory;
        this.participants = participants;
        this.audit = audit;
        this.texts = texts;
    }

    /** A refusal as the page shows it: the translated reason, the reason's name and the technical detail. */
    record Problem(String reason, String title, String detail) {
    }

    // ------------------------------------------------------------------ inventory

    @GetMapping
    String inventory(@RequestParam(defaultValue = "false") boolean retired, Model model, Locale locale) {
        Inventory all = inventory.inventory();
        Map<String, List<OwnKey>> byOwner = new LinkedHashMap<>();
        Map<String, String> ownerNames = new LinkedHashMap<>();
        for (Participant owner : inventory.owners()) {
            byOwner.put(owner.id(), new ArrayList<>());
            ownerNames.put(owner.id(), owner.name());
        }
        long retiredCount = 0;
        for (OwnKey k : all.ownKeys()) {
            if (k.state() == KeyState.RETIRED) {
                retiredCount++;
                if (!retired) {
                    continue;
                }
            }
            byOwner.computeIfAbsent(k.owner(), o -> new ArrayList<>()).add(k);
            ownerNames.putIfAbsent(k.owner(), k.ownerName());
        }
        model.addAttribute("inventory", all);
        model.addAttribute("keysByOwner", byOwner);
        model.addAttribute("ownerNames", ownerNames);
        model.addAttribute("showRetired", retired);
        model.addAttribute("retiredCount", retiredCount);
        model.addAttribute("hasKeyStore", inventory.hasKeyStore());
        model.addAttribute("warningDays", all.expiryWarning().toDays());
        model.addAttribute("chart", timeline(all, locale));
        model.addAttribute("trustPath", TRUST);
        model.addAttribute("dates", new Dates());
        return "console/certificates/inventory";
    }

    /** Certificates in use ending per month, for the next twelve months, stacked by own and partner. */
    private BarChart timeline(Inventory all, Locale locale) {
        ZoneId zone = ZoneId.systemDefault();
        YearMonth first = YearMonth.from(all.at().atZone(zone));
        long[] own = new long[12];
        long[] partner = new long[12];
        all.ownKeys().stream().filter(OwnKey::inUse).filter(k -> k.notAfter() != null && k.notAfter().isAfter(all.at()))
                .forEach(k -> count(own, first, k.notAfter(), zone));
        all.partners().stream().filter(PartnerCertificate::current).filter(p -> p.notAfter().isAfter(all.at()))
                .forEach(p -> count(partner, first, p.notAfter(), zone));
        DateTimeFormatter label = DateTimeFormatter.ofPattern("MMM yy", locale);
        List<BarChart.Bar> bars = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bars.add(new BarChart.Bar(label.format(first.plusMonths(i)), List.of(own[i], partner[i])));
        }
        return new BarChart(text("certificates.chart.caption", locale),
                List.of(new BarChart.Series(text("certificates.chart.own", locale), "cert-own"),
                        new BarChart.Series(text("certificates.chart.partner", locale), "cert-partner")),
                bars);
    }

    private static void count(long[] months, YearMonth first, Instant notAfter, ZoneId zone) {
        long index = first.until(YearMonth.from(notAfter.atZone(zone)), java.time.temporal.ChronoUnit.MONTHS);
        if (index >= 0 && index < months.length) {
            months[(int) index]++;
        }
    }

    // ------------------------------------------------------------------ generating

    @GetMapping("/keys/new")
    String newKey(@RequestParam(required = false) String owner, @RequestParam(required = false) KeyPurpose purpose,
                  Model model) {
        KeyPurpose p = purpose == null ? KeyPurpose.SIGNING : purpose;
        if (owner == null && p != KeyPurpose.EVIDENCE) {
            // the first participant of ours: the gateway itself has no signing or encryption key
            owner = inventory.owners().stream().map(Participant::id).filter(id -> !id.equals("gateway")).findFirst()
                    .orElse(null);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("owner", owner == null ? "" : owner);
        form.put("purpose", p.name());
        form.put("keySpec", CertificateInventory.defaultKeySpec(p));
        form.put("organisation", owner == null ? "" : participants.find(owner).map(Participant::name).orElse(""));
        form.put("commonName", "");
        form.put("emails", owner == null ? "" : defaultEmails(owner));
        return generateForm(model, form, null, null);
    }

    @PostMapping("/keys")
    String generate(@RequestParam(defaultValue = "") String owner, @RequestParam(required = false) String purpose,
                    @RequestParam(defaultValue = "") String keySpec, @RequestParam(defaultValue = "") String organisation,
                    @RequestParam(defaultValue = "") String commonName, @RequestParam(defaultValue = "") String emails,
                    Authentication person, Model model, RedirectAttributes redirect, Locale locale,
                    HttpServletResponse response) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("owner", owner);
        form.put("purpose", purpose == null ? "" : purpose);
        form.put("keySpec", keySpec);
        form.put("organisation", organisation);
        form.put("commonName", commonName);
        form.put("emails", emails);
        try {
            KeyPurpose p = purposeOf(purpose);
            CsrSubject subject = subject(organisation, commonName, emails);
            OwnKey key = inventory.generate(owner, p, keySpec, subject, k -> audit.record(person, "key.generate",
                    AuditTrail.subjects("key", k.id()), AuditDetail.of().with("owner", k.owner())
                            .with("purpose", k.purpose().name()).with("key", k.keySpec())
                            .with("organisation", subject.organisation()).with("commonName", subject.commonName())));
            redirect.addFlashAttribute("notice", text("certificates.generate.done", locale, key.id()));
            return "redirect:" + keyPath(key.id());
        } catch (CertificateRefusedException e) {
            response.setStatus(status(e));
            Optional<OwnKey> active = e.reason().equals("ACTIVE_KEY_EXISTS") ? activeKey(owner, purpose)
                    : Optional.empty();
            model.addAttribute("activeKey", active.orElse(null));
            return generateForm(model, form, problem(e, locale), fieldOf(e.reason()));
        }
    }

    private String generateForm(Model model, Map<String, String> form, Problem problem, String problemField) {
        model.addAttribute("form", form);
        model.addAttribute("owners", inventory.owners());
        model.addAttribute("purposes", KeyPurpose.values());
        model.addAttribute("keySpecs", inventory.keySpecs());
        model.addAttribute("hasKeyStore", inventory.hasKeyStore());
        model.addAttribute("formProblem", problem);
        model.addAttribute("problemField", problemField);
        return "console/certificates/generate";
    }

    // ------------------------------------------------------------------ one key

    @GetMapping("/keys/{id}")
    String key(@PathVariable String id, Model model, Locale locale) {
        OwnKey key = inventory.key(id).orElseThrow(() -> notFound(text("certificates.key.unknown", locale, id)));
        return keyPage(key, model, locale, Map.of());
    }

    private String keyPage(OwnKey key, Model model, Locale locale, Map<String, Object> extra) {
        model.addAttribute("key", key);
        try {
            model.addAttribute("chain", inventory.keyChain(key.id()));
        } catch (CertificateRefusedException e) {
            model.addAttribute("chain", List.of());
        }
        Optional<CsrSubject> stored = inventory.requestSubject(key.id());
        CsrSubject prefill = stored.orElseGet(() -> fromCertificate(key));
        Map<String, String> request = Map.of(
                "organisation", prefill == null ? "" : prefill.organisation(),
                "commonName", prefill == null || prefill.commonName() == null ? "" : prefill.commonName(),
                "emails", prefill == null ? "" : String.join("\n", prefill.emailAddresses()));
        model.addAttribute("request", request);
        model.addAttribute("rotateForm", Map.of("keySpec", specValue(key.keySpec()), "overlapDays", "30",
                "organisation", request.get("organisation"), "commonName", request.get("commonName"),
                "emails", request.get("emails")));
        String csr = null;
        if (key.state() == KeyState.PENDING && stored.isPresent()) {
            try {
                csr = inventory.csr(key.id(), null);
            } catch (CertificateRefusedException e) {
                model.addAttribute("csrProblem", problem(e, locale));
            }
        }
        model.addAttribute("csr", csr);
        model.addAttribute("predecessor", key.state() == KeyState.PENDING
                ? inventory.predecessor(key.id()).orElse(null) : null);
        model.addAttribute("keySpecs", inventory.keySpecs());
        model.addAttribute("dates", new Dates());
        model.addAttribute("importText", "");
        model.addAllAttributes(extra);
        return "console/certificates/key";
    }

    @GetMapping("/keys/{id}/csr")
    ResponseEntity<String> csr(@PathVariable String id, @RequestParam(required = false) String organisation,
                               @RequestParam(required = false) String commonName,
                               @RequestParam(required = false) String emails, Locale locale) {
        try {
            CsrSubject subject = organisation == null ? null : subject(organisation,
                    commonName == null ? "" : commonName, emails == null ? "" : emails);
            String pem = inventory.csr(id, subject);
            return ResponseEntity.ok()
                    .contentType(new MediaType("application", "pkcs10"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                            .filename(id + ".csr", StandardCharsets.US_ASCII).build().toString())
                    .body(pem);
        } catch (CertificateRefusedException e) {
            Problem p = problem(e, locale);
            throw new ResponseStatusException(HttpStatus.valueOf(status(e)), p.title() + " (" + p.reason() + "): "
                    + p.detail());
        }
    }

    @PostMapping("/keys/{id}/certificate")
    String importCertificate(@PathVariable String id, @RequestParam(defaultValue = "") String chain,
                             Authentication person, Model model, RedirectAttributes redirect, Locale locale,
                             HttpServletResponse response) {
        Optional<OwnKey> replaced = inventory.predecessor(id);
        try {
            OwnKey key = inventory.importCertificate(id, chain, k -> audit.record(person, "key.import-certificate",
                    AuditTrail.subjects("key", k.id(), "key", replaced.map(OwnKey::id).orElse(null)),
                    AuditDetail.of().with("serial", k.serial()).with("subject", k.subject())
                            .with("notAfter", String.valueOf(k.notAfter())).with("state", k.state().name())
                            .with("replaced", replaced.map(OwnKey::id).orElse(null))));
            String notice = text("certificates.import.done", locale, key.id());
            if (replaced.isPresent()) {
                OwnKey old = inventory.key(replaced.get().id()).orElseThrow();
                notice += " " + (old.state() == KeyState.OVERLAP
                        ? text("certificates.import.overlap", locale, old.id(), new Dates().dateTime(old.overlapUntil()))
                        : text("certificates.import.retiredOld", locale, old.id()));
            }
            redirect.addFlashAttribute("notice", notice);
            return "redirect:" + keyPath(key.id());
        } catch (CertificateRefusedException e) {
            OwnKey key = inventory.key(id).orElseThrow(() -> notFound(e.getMessage()));
            response.setStatus(status(e));
            return keyPage(key, model, locale, Map.of("importProblem", problem(e, locale), "importText", chain));
        }
    }

    @PostMapping("/keys/{id}/rotate")
    String rotate(@PathVariable String id, @RequestParam(defaultValue = "") String keySpec,
                  @RequestParam(defaultValue = "") String overlapDays,
                  @RequestParam(defaultValue = "") String organisation,
                  @RequestParam(defaultValue = "") String commonName, @RequestParam(defaultValue = "") String emails,
                  Authentication person, Model model, RedirectAttributes redirect, Locale locale,
                  HttpServletResponse response) {
        try {
            Duration overlap = overlap(overlapDays);
            CsrSubject subject = subject(organisation, commonName, emails);
            OwnKey key = inventory.rotate(id, keySpec, overlap, subject, k -> audit.record(person, "key.rotate",
                    AuditTrail.subjects("key", k.id(), "key", id), AuditDetail.of().with("replaces", id)
                            .with("owner", k.owner()).with("purpose", k.purpose().name()).with("key", k.keySpec())
                            .with("overlapDays", overlap.toDays())));
            redirect.addFlashAttribute("notice", text("certificates.rotate.done", locale, key.id(), id,
                    overlap.toDays()));
            return "redirect:" + keyPath(key.id());
        } catch (CertificateRefusedException e) {
            OwnKey key = inventory.key(id).orElseThrow(() -> notFound(e.getMessage()));
            response.setStatus(status(e));
            return keyPage(key, model, locale, Map.of("rotateProblem", problem(e, locale),
                    "rotateForm", Map.of("keySpec", keySpec, "overlapDays", overlapDays, "organisation", organisation,
                            "commonName", commonName, "emails", emails)));
        }
    }

    @PostMapping("/keys/{id}/retire")
    String retire(@PathVariable String id, @RequestParam(defaultValue = "") String reason, Authentication person,
                  RedirectAttributes redirect, Locale locale) {
        try {
            if (reason.isBlank()) {
                throw new CertificateRefusedException("INVALID_REQUEST", "say why the key is retired");
            }
            OwnKey before = inventory.key(id).orElse(null);
            inventory.retire(id, k -> audit.record(person, "key.retire", AuditTrail.subjects("key", k.id()),
                    AuditDetail.of().with("reason", reason.strip())
                            .with("previousState", before == null ? null : before.state().name())
                            .with("serial", k.serial())));
            redirect.addFlashAttribute("notice", text("certificates.retire.done", locale, id));
        } catch (CertificateRefusedException e) {
            redirect.addFlashAttribute("problem", flat(problem(e, locale)));
        }
        return "redirect:" + keyPath(id);
    }

    @PostMapping("/keys/{id}/revocation-check")
    String checkKey(@PathVariable String id, Authentication person, RedirectAttributes redirect, Locale locale) {
        try {
            RevocationCheck check = inventory.checkKey(id, person.getName(), c -> audit.record(person,
                    "certificate.revocation-check", AuditTrail.subjects("key", id, "certificate", c.fingerprint()),
                    checkDetail(c)));
            redirect.addFlashAttribute(check.outcome() == RevocationCheck.Outcome.GOOD ? "notice" : "problem",
                    describe(check, locale));
        } catch (CertificateRefusedException e) {
            redirect.addFlashAttribute("problem", flat(problem(e, locale)));
        }
        return "redirect:" + keyPath(id);
    }

    // ------------------------------------------------------------------ partners

    @GetMapping("/partners/new")
    String newPartner(@RequestParam(defaultValue = "") String address, Model model) {
        return partnerForm(model, address, "", null);
    }

    @PostMapping("/partners")
    String importPartner(@RequestParam(defaultValue = "") String address, @RequestParam(defaultValue = "") String chain,
                         Authentication person, Model model, RedirectAttributes redirect, Locale locale,
                         HttpServletResponse response) {
        try {
            PartnerCertificate p = inventory.importPartner(address, chain, person.getName(), c -> audit.record(person,
                    "partner-certificate.import", AuditTrail.subjects("certificate", c.fingerprint(), "participant",
                            c.participant()),
                    AuditDetail.of().with("address", c.address()).with("subject", c.subject())
                            .with("serial", c.serial()).with("notAfter", c.notAfter().toString())));
            redirect.addFlashAttribute("notice", text("certificates.partner.done", locale, p.address()));
            return "redirect:" + ConsolePaths.CERTIFICATES + "/partners/" + p.fingerprint();
        } catch (CertificateRefusedException e) {
            response.setStatus(status(e));
            return partnerForm(model, address, chain, problem(e, locale));
        }
    }

    private String partnerForm(Model model, String address, String chain, Problem problem) {
        List<String> known = new ArrayList<>();
        for (Participant p : participants.all()) {
            if (!p.own()) {
                p.addresses().stream().map(ChannelAddress::toString).forEach(known::add);
            }
        }
        model.addAttribute("form", Map.of("address", address, "chain", chain));
        model.addAttribute("knownAddresses", known);
        model.addAttribute("formProblem", problem);
        model.addAttribute("problemField", problem == null ? null : problem.reason().contains("ADDRESS")
                ? "address" : "chain");
        return "console/certificates/partner-import";
    }

    @GetMapping("/partners/{fingerprint}")
    String partner(@PathVariable String fingerprint, Model model, Locale locale) {
        List<PartnerCertificate> uses = inventory.partner(fingerprint);
        if (uses.isEmpty()) {
            throw notFound(text("certificates.partner.unknown", locale, fingerprint));
        }
        model.addAttribute("certificate", uses.get(0));
        model.addAttribute("uses", uses);
        try {
            model.addAttribute("chain", inventory.partnerChain(fingerprint));
        } catch (CertificateRefusedException e) {
            model.addAttribute("chain", List.of());
        }
        model.addAttribute("dates", new Dates());
        return "console/certificates/partner";
    }

    @PostMapping("/partners/{fingerprint}/revocation-check")
    String checkPartner(@PathVariable String fingerprint, Authentication person, RedirectAttributes redirect,
                        Locale locale) {
        try {
            RevocationCheck check = inventory.checkPartner(fingerprint, person.getName(), c -> audit.record(person,
                    "certificate.revocation-check", AuditTrail.subjects("certificate", c.fingerprint()),
                    checkDetail(c)));
            redirect.addFlashAttribute(check.outcome() == RevocationCheck.Outcome.GOOD ? "notice" : "problem",
                    describe(check, locale));
        } catch (CertificateRefusedException e) {
            if (e.notFound()) {
                throw notFound(e.getMessage());
            }
            redirect.addFlashAttribute("problem", flat(problem(e, locale)));
        }
        return "redirect:" + ConsolePaths.CERTIFICATES + "/partners/" + fingerprint;
    }

    // ------------------------------------------------------------------ helpers

    private static AuditDetail checkDetail(RevocationCheck c) {
        return AuditDetail.of().with("outcome", c.outcome().name()).with("reason", c.reason())
                .with("revokedAt", c.revokedAt() == null ? null : c.revokedAt().toString())
                .with("source", c.source());
    }

    private String describe(RevocationCheck c, Locale locale) {
        return switch (c.outcome()) {
            case GOOD -> text("certificates.check.good", locale, c.source() == null ? "–" : c.source());
            case REVOKED -> text("certificates.check.revoked", locale,
                    c.revokedAt() == null ? "?" : new Dates().dateTime(c.revokedAt()), c.detail());
            case UNKNOWN -> text("certificates.check.unknown", locale, c.detail());
            case INVALID -> text("certificates.check.invalid", locale, c.reason(), c.detail());
        };
    }

    private Optional<OwnKey> activeKey(String owner, String purpose) {
        return inventory.inventory().ownKeys().stream().filter(k -> k.owner().equals(owner)
                && k.purpose().name().equals(purpose) && k.state() == KeyState.ACTIVE).findFirst();
    }

    private String defaultEmails(String owner) {
        return participants.find(owner).map(p -> String.join("\n", p.addresses().stream()
                .filter(a -> a.address().indexOf('@') > 0 && !a.channel().equals("loopback"))
                .map(ChannelAddress::address).toList())).orElse("");
    }

    private static KeyPurpose purposeOf(String purpose) throws CertificateRefusedException {
        try {
            return KeyPurpose.valueOf(purpose == null ? "" : purpose);
        } catch (IllegalArgumentException e) {
            throw new CertificateRefusedException("INVALID_REQUEST", "'" + purpose + "' is not a key purpose; choose"
                    + " one of " + Arrays.toString(KeyPurpose.values()));
        }
    }

    private static CsrSubject subject(String organisation, String commonName, String emails)
            throws CertificateRefusedException {
        List<String> addresses = Arrays.stream(emails.split("[\\s,;]+")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        try {
            return new CsrSubject(organisation.strip(), commonName.isBlank() ? null : commonName.strip(), addresses);
        } catch (IllegalArgumentException e) {
            throw new CertificateRefusedException(organisation.isBlank() ? "MISSING_ORGANISATION" : "INVALID_EMAIL",
                    e.getMessage());
        }
    }

    private static Duration overlap(String days) throws CertificateRefusedException {
        try {
            return Duration.ofDays(Long.parseLong(days.strip()));
        } catch (NumberFormatException e) {
            throw new CertificateRefusedException("INVALID_OVERLAP", "the overlap must be a whole number of days, not '"
                    + days + "'");
        }
    }

    /** O and CN of the key's certificate subject, to prefill a rotation's request when none was stored. */
    private static CsrSubject fromCertificate(OwnKey key) {
        if (key.subject() == null || key.state() == KeyState.PENDING) {
            return null;
        }
        try {
            String o = null;
            String cn = null;
            for (Rdn rdn : new LdapName(key.subject()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("O")) {
                    o = String.valueOf(rdn.getValue());
                } else if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return o == null || o.isBlank() ? null : new CsrSubject(o, cn == null || cn.isBlank() ? null : cn,
                    List.of());
        } catch (InvalidNameException e) {
            return null; // nothing to prefill: the form stays empty
        }
    }

    private static String specValue(String keySpec) {
        if (keySpec == null) {
            return "";
        }
        return keySpec.startsWith("RSA-") ? "rsa:" + keySpec.substring(4)
                : keySpec.startsWith("EC ") ? "ec:" + keySpec.substring(3) : "";
    }

    /** The form field a refusal is about, so that the page can link the message to it. */
    private static String fieldOf(String reason) {
        return switch (reason) {
            case "POLICY_REFUSED" -> "keySpec";
            case "ACTIVE_KEY_EXISTS" -> "purpose";
            case "MISSING_ORGANISATION" -> "organisation";
            case "INVALID_EMAIL" -> "emails";
            default -> "owner";
        };
    }

    private Problem problem(CertificateRefusedException e, Locale locale) {
        String title = texts.getMessage("certificates.reason." + e.reason(), null, e.reason(), locale);
        return new Problem(e.reason(), title, e.getMessage());
    }

    private static String flat(Problem p) {
        return p.title() + " (" + p.reason() + "): " + p.detail();
    }

    private static int status(CertificateRefusedException e) {
        if (e.notFound()) {
            return 404;
        }
        return switch (e.reason()) {
            case "ACTIVE_KEY_EXISTS", "WRONG_STATE" -> 409;
            case "NO_KEY_STORE" -> 503;
            default -> 422;
        };
    }

    private String text(String key, Locale locale, Object... args) {
        return texts.getMessage(key, args, locale);
    }

    private static ResponseStatusException notFound(String reason) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, reason);
    }

    private static String keyPath(String id) {
        return ConsolePaths.CERTIFICATES + "/keys/" + id;
    }

    /** Dates as the pages show them: ISO dates in the gateway's time zone, so that nobody misreads 03/04. */
    public static final class Dates {
        private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd")
                .withZone(ZoneId.systemDefault());
        private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(ZoneId.systemDefault());

        public String date(Instant instant) {
            return instant == null ? "–" : DATE.format(instant);
        }

        public String dateTime(Instant instant) {
            return instant == null ? "–" : DATE_TIME.format(instant);
        }

        public boolean attention(CertificateStatus status) {
            return status != null && status.needsAttention();
        }
    }
}
