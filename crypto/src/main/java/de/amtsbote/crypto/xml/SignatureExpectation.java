package de.amtsbote.crypto.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the caller is about to read, and therefore what must be signed: elements at given paths, the whole document,
 * external content by URI. Verification fails with WRAPPING_SUSPECTED when the element the caller names is not the
 * one the signature covers — whatever else the signature covers validly.
 *
 * <p>Also says which ds:Signature to verify when a document holds several (default: there must be exactly one).
 * Immutable; each method returns a new expectation.
 */
public final class SignatureExpectation {

    private final List<ElementPath> elements;
    private final Map<String, ContentSource> detached;
    private final ElementPath signature;

    private SignatureExpectation(List<ElementPath> elements, Map<String, ContentSource> detached,
                                 ElementPath signature) {
        this.elements = List.copyOf(elements);
        this.detached = Map.copyOf(detached);
        this.signature = signature;
    }

    /** The document element must be covered (an enveloped signature over the whole document). */
    public static SignatureExpectation documentElement() {
        return element(ElementPath.documentElement());
    }

    /** The element at this path must be covered. */
    public static SignatureExpectation element(ElementPath path) {
        return new SignatureExpectation(List.of(Objects.requireNonNull(path, "path")), Map.of(), null);
    }

    /** This external content must be covered by a reference with this URI (a detached signature). */
    public static SignatureExpectation detached(String uri, ContentSource content) {
        return new SignatureExpectation(List.of(), Map.of(uri, content), null);
    }

    /** And the element at this path must be covered too. */
    public SignatureExpectation andElement(ElementPath path) {
        List<ElementPath> e = new ArrayList<>(elements);
        e.add(Objects.requireNonNull(path, "path"));
        return new SignatureExpectation(e, detached, signature);
    }

    /** And this external content must be covered too. */
    public SignatureExpectation andDetached(String uri, ContentSource content) {
        Map<String, ContentSource> d = new LinkedHashMap<>(detached);
        if (d.put(Objects.requireNonNull(uri, "uri"), Objects.requireNonNull(content, "content")) != null) {
            throw new IllegalArgumentException("detached content " + uri + " given twice");
        }
        return new SignatureExpectation(elements, d, signature);
    }

    /** The ds:Signature to verify is the one at this path (needed when a document carries several). */
    public SignatureExpectation signatureAt(ElementPath path) {
        return new SignatureExpectation(elements, detached, Objects.requireNonNull(path, "path"));
    }

    List<ElementPath> elements() {
        return elements;
    }

    Map<String, ContentSource> detachedContent() {
        return detached;
    }

    ElementPath signature() {
        return signature;
    }

    @Override
    public String toString() {
        return "expecting signed " + elements + (detached.isEmpty() ? "" : " and " + detached.keySet());
    }
}
