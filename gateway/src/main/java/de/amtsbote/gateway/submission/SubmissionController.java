package de.amtsbote.gateway.submission;

import de.amtsbote.gateway.messages.MessageView;
import de.amtsbote.gateway.messages.MessageViews;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/messages}: the one way a client system hands a message to the gateway. */
@RestController
class SubmissionController {

    private final SubmissionService submissions;
    private final MessageViews views;

    SubmissionController(SubmissionService submissions, MessageViews views) {
        this.submissions = submissions;
        this.views = views;
    }

    /**
     * 202 with the new message, or 200 with the earlier one when the same Idempotency-Key comes again with the same
     * content. The request body is read here as a stream, not by Spring's multipart support.
     */
    @PostMapping(path = "/api/v1/messages", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<MessageView> submit(HttpServletRequest request,
                                       @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key)
            throws IOException {
        SubmissionService.Outcome outcome = submissions.submit(request, key);
        MessageView view = views.view(outcome.messageId()).orElseThrow();
        return ResponseEntity.status(outcome.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/v1/messages/" + outcome.messageId()))
                .body(view);
    }
}
