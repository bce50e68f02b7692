package de.amtsbote.gateway.submission;

import de.amtsbote.gateway.messages.MessageView;
import de.amtsbote.gateway.messages.MessageViews;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Messages", description = "submit messages and follow their delivery and evidence")
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
    @Operation(summary = "Submit a message",
            description = "Streams the envelope and attachments; answers 202 once the message is durably stored. "
                    + "Send 'Expect: 100-continue' with large messages.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                    schema = @Schema(implementation = SubmissionForm.class),
                    encoding = @Encoding(name = "envelope", contentType = MediaType.APPLICATION_JSON_VALUE))))
    @ApiResponse(responseCode = "202", description = "accepted; Location names the message",
            content = @Content(schema = @Schema(implementation = MessageView.class)))
    @ApiResponse(responseCode = "200", description = "the same Idempotency-Key and content were accepted before",
            content = @Content(schema = @Schema(implementation = MessageView.class)))
    @ApiResponse(responseCode = "400", description = "malformed request, invalid envelope, missing Idempotency-Key",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "401", description = "no or unknown bearer token",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "403", description = "the token may not act for the sender",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "409", description = "the Idempotency-Key was used for other content",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "413", description = "over a size or count limit",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "415", description = "not multipart/form-data",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "422", description = "a recipient cannot be reached, or not with the options asked for",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    ResponseEntity<MessageView> submit(HttpServletRequest request,
                                       @Parameter(in = ParameterIn.HEADER, required = true,
                                               description = "a new UUID per message; the same value when retrying")
                                       @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key)
            throws IOException {
        SubmissionService.Outcome outcome = submissions.submit(request, key);
        MessageView view = views.view(outcome.messageId()).orElseThrow();
        return ResponseEntity.status(outcome.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/v1/messages/" + outcome.messageId()))
                .body(view);
    }
}
