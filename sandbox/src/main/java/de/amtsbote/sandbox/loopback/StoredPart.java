package de.amtsbote.sandbox.loopback;

import java.util.Objects;

/**
 * One part of a message as the peer keeps it: part 0 is the body ({@code text/plain}), then the attachments.
 *
 * @param sha256 lower-case hex SHA-256 of the part's bytes, as the peer computed it
 */
public record StoredPart(String name, String mediaType, long size, String sha256) {
    public StoredPart {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(sha256, "sha256");
    }
}
