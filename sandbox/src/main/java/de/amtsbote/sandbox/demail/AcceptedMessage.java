package de.amtsbote.sandbox.demail;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A message a provider accepted: its final header fields (with what the provider added and the integrity field), the
 * file with the whole message (deleted once it is deposited), and what confirmations need to know about it later.
 */
record AcceptedMessage(DeMailProvider origin, HeaderFields headers, Path file, String sender, String recipient,
                       String subject, String demailMessageId, Instant acceptedAt) {

    /** The value of the X-de-mail-integrity field: what confirmations quote as the message's hash. */
    String integrity() {
        return headers.value(Integrity.FIELD);
    }

    boolean asks(String optionField) {
        return SubmissionRules.yes(headers, optionField);
    }
}
