package de.amtsbote.gateway.messages;

import de.amtsbote.gateway.api.ApiException;
import de.amtsbote.gateway.api.ProblemType;
import de.amtsbote.gateway.audit.AuditActor;
import de.amtsbote.gateway.audit.AuditDetail;
import de.amtsbote.gateway.audit.AuditTrail;
import de.amtsbote.gateway.evidence.EvidenceRepository;
import de.amtsbote.gateway.security.CurrentClient;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Status and evidence of submitted messages. */
@RestController
@Tag(name = "Messages")
class MessageController {

    private final MessageViews views;
    private final EvidenceRepository evidence;
    private final MessageAccess access;
    private final AuditTrail audit;

    MessageController(MessageViews views, EvidenceRepository evidence, MessageAccess access, AuditTrail audit) {
        this.views = views;
        this.evidence = evidence;
        this.access = access;
        this.audit = audit;
    }

    @GetMapping(path = "/api/v1/messages/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    MessageView get(@PathVariable String id) {
        requireReadable(id);
        return views.view(id).orElseThrow(() -> notFound(id));
    }

    @GetMapping(path = "/api/v1/messages/{id}/evidence", produces = MediaType.APPLICATION_JSON_VALUE)
    List<MessageView.EvidenceItem> evidence(@PathVariable String id) {
        requireReadable(id);
        return evidence.forMessage(id).stream().map(MessageView.EvidenceItem::of).toList();
    }

    /** One evidence document, exactly as stored and signed. */
    @GetMapping(path = "/api/v1/evidence/{id}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<byte[]> document(@PathVariable String id) {
        EvidenceRepository.StoredEvidence stored = evidence.find(id)
                .filter(e -> access.mayRead(e.messageId()))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "no evidence " + id));
        audit.record(AuditActor.client(CurrentClient.get().id()), "evidence.read",
                AuditTrail.subjects("message", stored.messageId(), "evidence", id), AuditDetail.of());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(stored.document());
    }

    private void requireReadable(String id) {
        if (!access.mayRead(id)) {
            throw notFound(id);
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(ProblemType.NOT_FOUND, "no message " + id);
    }

}
