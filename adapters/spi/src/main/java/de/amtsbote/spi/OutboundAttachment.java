package de.amtsbote.spi;

import java.util.Objects;

/**
 * One attachment of an outbound message, as the client system submitted it.
 *
 * @param fileName  the file name the client gave
 * @param mediaType its media type ({@code application/pdf})
 * @param size      bytes
 * @param sha256    lower-case hex SHA-256 of the content, computed at submission
 * @param content   the content, decrypted from the gateway's store while it is read
 */
public record OutboundAttachment(String fileName, String mediaType, long size, String sha256, ContentSource content) {
    public OutboundAttachment {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(content, "content");
    }
}
