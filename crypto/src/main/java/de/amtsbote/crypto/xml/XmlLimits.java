package de.amtsbote.crypto.xml;

/**
 * The limits {@link SecureXml} parses under. The defaults fit every document the gateway reads in memory (SOAP and
 * OSCI envelopes, De-Mail confirmations, evidence, XJustiz records); large content is streamed or carried outside
 * the XML (MTOM, attachments), so a bigger DOM is a mistake or an attack.
 *
 * @param maxBytes                 the most bytes read from one input
 * @param maxDepth                 the deepest element nesting
 * @param maxAttributesPerElement  the most attributes on one element
 * @param maxNameLength            the longest element or attribute name
 */
public record XmlLimits(long maxBytes, int maxDepth, int maxAttributesPerElement, int maxNameLength) {

    /** 16 MiB: a DOM takes several times the bytes in memory. */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    /** SOAP + OSCI + XJustiz nest some 30 levels; 100 leaves room and stops stack-exhausting nesting. */
    public static final int DEFAULT_MAX_DEPTH = 100;
    public static final int DEFAULT_MAX_ATTRIBUTES = 256;
    public static final int DEFAULT_MAX_NAME_LENGTH = 1000;

    public XmlLimits {
        if (maxBytes <= 0 || maxDepth <= 0 || maxAttributesPerElement <= 0 || maxNameLength <= 0) {
            throw new IllegalArgumentException("XML limits must be positive: " + maxBytes + " bytes, depth " + maxDepth
                    + ", " + maxAttributesPerElement + " attributes, names of " + maxNameLength);
        }
    }

    public static XmlLimits defaults() {
        return new XmlLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_NAME_LENGTH);
    }

    public XmlLimits withMaxBytes(long bytes) {
        return new XmlLimits(bytes, maxDepth, maxAttributesPerElement, maxNameLength);
    }

    public XmlLimits withMaxDepth(int depth) {
        return new XmlLimits(maxBytes, depth, maxAttributesPerElement, maxNameLength);
    }
}
