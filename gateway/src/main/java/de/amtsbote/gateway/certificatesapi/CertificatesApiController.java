package de.amtsbote.gateway.certificatesapi;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.certificates.CertificateInventory;
import de.amtsbote.gateway.certificates.CertificateRefusedException;
import de.amtsbote.gateway.certificates.Inventory;
import de.amtsbote.gateway.certificates.OwnKey;
import de.amtsbote.gateway.certificates.PartnerCertificate;
import de.amtsbote.gateway.security.ClientSystem;
import de.amtsbote.gateway.security.CurrentClient;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The certificate inventory for scripts ({@code ./amtsbote certificates}), for client systems with the role
 * {@code SECURITY_OFFICER}: what the gateway holds and when it ends, and importing a partner's certificate. Never key
 * material. Its own package because the audit trail depends on {@code certificates} (the evidence key), so the
 * audited API door cannot live there.
 */
@RestController
@Tag(name = "Certificates", description = "keys and certificates: inventory and partner certificates"
        + " (role SECURITY_OFFICER)")
@RequestMapping("/api/v1/certificates")
class CertificatesApiController {

    /** PEM as the request body: a certificate chain, leaf first. */
    static final String PEM_CHAIN = "application/pem-certificate-chain";

    private final CertificateInventory inventory;
    private final AuditTrail audit;

    CertificatesApiController(CertificateInventory inventory, AuditTrail audit) {
        this.inventory = inventory;
        this.audit = audit;
    }

    /**
     * The inventory.
     *
     * @param at                 when it was taken
     * @param expiryWarningDays  certificates ending within this many days are EXPIRING
     * @param counts             what needs attention, counting keys in use and current partner certificates
     */
    record Listing(Instant at, long expiryWarningDays, Counts counts, List<OwnKey> ownKeys,
                   List<PartnerCertificate> partnerCertificates) {
    }

    record Counts(long expiring, long expired, long revoked, long pending) {
    }

    /** Everything, or with {@code expiring=true} only what is in use and expiring or expired. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    Listing list(@RequestParam(defaultValue = "false") boolean expiring) {
        Inventory all = inventory.inventory();
        Inventory shown = expiring ? all.expiringOnly() : all;
        return new Listing(all.at(), all.expiryWarning().toDays(),
                new Counts(all.expiring(), all.expired(), all.revoked(), all.pending()), shown.ownKeys(),
                shown.partners());
    }

    /** One partner certificate by its SHA-256 fingerprint: each address it is used for. */
    @GetMapping(path = "/partners/{fingerprint}", produces = MediaType.APPLICATION_JSON_VALUE)
    List<PartnerCertificate> partner(@PathVariable String fingerprint) {
        List<PartnerCertificate> uses = inventory.partner(fingerprint);
        if (uses.isEmpty()) {
            throw new ApiException(ProblemType.NOT_FOUND, "no partner certificate " + fingerprint);
        }
        return uses;
    }

    /**
     * Imports a partner's encryption certificate for an address: the body is the PEM chain, leaf first. Checked like
     * the console's import (valid for encryption now, allowed by the policy); refused with the reason as a problem.
     */
    @PostMapping(path = "/partners", consumes = {MediaType.TEXT_PLAIN_VALUE, PEM_CHAIN, "application/x-pem-file"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    PartnerCertificate importPartner(@RequestParam(required = false) String address, @RequestBody(required = false) String pem) {
        ClientSystem client = CurrentClient.get();
        try {
            return inventory.importPartner(address, pem, client.id(), c -> audit.record(AuditActor.client(client.id()),
                    "partner-certificate.import", AuditTrail.subjects("certificate", c.fingerprint(), "participant",
                            c.participant()),
                    AuditDetail.of().with("address", c.address()).with("subject", c.subject())
                            .with("serial", c.serial()).with("notAfter", c.notAfter().toString())));
        } catch (CertificateRefusedException e) {
            throw problem(e);
        }
    }

    static ApiException problem(CertificateRefusedException e) {
        ProblemType type = switch (e.reason()) {
            case "MALFORMED_PEM", "MALFORMED_ADDRESS", "INVALID_REQUEST", "PRIVATE_KEY_IN_PEM" ->
                    ProblemType.MALFORMED_REQUEST;
            default -> e.notFound() ? ProblemType.NOT_FOUND : ProblemType.CERTIFICATE_REFUSED;
        };
        return new ApiException(type, e.getMessage(), e).with("reason", e.reason());
    }
}
