package de.amtsbote.spi;

import java.util.Objects;

/** One attachment of an inbound message, already decrypted. */
public record InboundPart(String fileName, String mediaType, ContentSource content) {
    public InboundPart {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
    }
}
