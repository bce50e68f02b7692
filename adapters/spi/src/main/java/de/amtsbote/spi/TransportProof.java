package de.amtsbote.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A transport's own proof, kept verbatim as evidence: an MDN, an ESS receipt, a De-Mail confirmation, an OSCI
 * process card. Proofs are small documents, not message content, so they are held as bytes; anything larger than
 * {@link #MAX_BYTES} is refused rather than truncated.
 *
 * @param mediaType the proof's media type ({@code message/disposition-notification}, {@code application/xml})
 * @param assurance who vouches for it
 */
public record TransportProof(String mediaType, byte[] content, Assurance assurance) {

    public static final int MAX_BYTES = 1 << 20;

    public TransportProof {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(assurance, "assurance");
        if (content.length > MAX_BYTES) {
            throw new IllegalArgumentException("transport proof of " + content.length + " bytes exceeds " + MAX_BYTES);
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportProof p && mediaType.equals(p.mediaType) && assurance == p.assurance
                && Arrays.equals(content, p.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mediaType, assurance, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "TransportProof[" + mediaType + ", " + content.length + " bytes, " + assurance + "]";
    }
}
