package de.amtsbote.gateway.submission;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code amtsbote.submission}: limits of what a client may submit.
 *
 * @param maxMessageSize  body and attachments together
 * @param maxEnvelopeSize the JSON envelope part
 * @param maxAttachments  attachments per message
 * @param maxRecipients   recipients per message
 */
@ConfigurationProperties("amtsbote.submission")
public record SubmissionProperties(
        @DefaultValue("1GB") DataSize maxMessageSize,
        @DefaultValue("1MB") DataSize maxEnvelopeSize,
        @DefaultValue("100") int maxAttachments,
        @DefaultValue("100") int maxRecipients) {
}
