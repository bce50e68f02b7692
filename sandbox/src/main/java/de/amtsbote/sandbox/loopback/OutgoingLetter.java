package de.amtsbote.sandbox.loopback;

import java.util.List;
import java.util.Objects;

/**
 * What an outside party writes to a gateway participant ({@code POST /mailboxes/{mailbox}/outgoing}). The content
 * travels base64-encoded in JSON, so letters are small by nature; big content flows only from the gateway to the peer.
 *
 * @param to the gateway participant's loopback address ({@code stadt-bad-vilbel@gateway})
 */
public record OutgoingLetter(String to, String subject, String body, boolean receiptWanted,
                             List<Attachment> attachments) {

    public OutgoingLetter {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        attachments = List.copyOf(attachments);
    }

    /** One attachment of a letter. */
    public record Attachment(String name, String mediaType, byte[] content) {
        public Attachment {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mediaType, "mediaType");
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }
}
