package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.policy.Algorithm;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * One verified reference of a signature: what it pointed to, exactly as the digest was computed over it.
 *
 * @param uri       the reference's URI ("" for the whole document, "#id", or an external URI)
 * @param element   the signed element (the document element for "", the element with the Id for "#id"); null for
 *                  external content
 * @param digest    the digest algorithm of the reference
 * @param enveloped whether the signature element itself was cut out of what was signed (enveloped-signature)
 */
public record SignedReference(String uri, Element element, Algorithm digest, boolean enveloped) {
    public SignedReference {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(digest, "digest");
    }

    public boolean external() {
        return element == null;
    }
}
