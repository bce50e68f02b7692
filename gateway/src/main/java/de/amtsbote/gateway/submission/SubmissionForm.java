package de.amtsbote.gateway.submission;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The shape of a submission for the OpenAPI description only: the gateway reads the request as a stream
 * ({@link SubmissionService}), not through this type.
 */
@Schema(name = "Submission", description = "multipart/form-data: the part 'envelope' first, then any 'attachment' parts")
record SubmissionForm(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "JSON, at most 1 MiB") EnvelopeForm envelope,
        @ArraySchema(schema = @Schema(type = "string", format = "binary",
                description = "one file; its filename and Content-Type are kept")) List<byte[]> attachment) {

    @Schema(name = "Envelope")
    record EnvelopeForm(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "stadt-bad-vilbel",
                    description = "the sending participant; the token must be allowed to act for it") String sender,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "[\"participant:kreis-bergstrasse\", \"smime:buergerbuero@example.org\"]",
                    description = "participant:<id> or <channel>:<address>; at most 100") List<String> recipients,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 998,
                    description = "no line breaks") String subject,
            @Schema(description = "plain text") String body,
            @Schema(maxLength = 200, description = "the sender's file reference (Aktenzeichen)") String reference,
            OptionsForm options) {
    }

    @Schema(name = "Options", description = "what the delivery must honour; a channel that cannot is refused")
    record OptionsForm(
            @Schema(defaultValue = "true") Boolean sign,
            @Schema(defaultValue = "true") Boolean encrypt,
            @Schema(defaultValue = "false", description = "De-Mail 'persönlich'") Boolean personal,
            @ArraySchema(schema = @Schema(allowableValues = {"dispatch", "delivery", "retrieval"})) List<String> receipts) {
    }
}
