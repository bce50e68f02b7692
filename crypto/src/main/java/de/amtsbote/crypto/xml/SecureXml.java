package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.BoundedInputStream;

import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFactoryConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * <b>The</b> XML factory of Amtsbote: every XML parser, streaming reader, serialiser, schema validator and XPath
 * engine in the project comes from here, hardened the same way. Code elsewhere never calls
 * {@code DocumentBuilderFactory.newInstance()}, {@code SAXParserFactory.newInstance()},
 * {@code XMLInputFactory.newInstance()/newFactory()}, {@code TransformerFactory.newInstance()},
 * {@code SchemaFactory.newInstance(..)} or {@code XPathFactory.newInstance()} (a test in this module checks that for
 * {@code crypto/}; the gateway adds an ArchUnit rule).
 *
 * <p>What every factory here does:
 * <ul>
 *   <li>takes the JDK's built-in implementation ({@code newDefaultInstance()}), whatever else is on the class path,
 *       because only that one honours the JDK's {@code jdk.xml.*} limits;</li>
 *   <li>refuses any DOCTYPE ({@code disallow-doctype-decl}): no DTD, no entity declarations, so no XXE, no billion
 *       laughs, no external DTD fetch. Nothing we read legitimately has a DTD;</li>
 *   <li>switches off external general and parameter entities, external DTD loading, XInclude and entity-reference
 *       expansion, and blocks every external access ({@code ACCESS_EXTERNAL_DTD/SCHEMA/STYLESHEET = ""});</li>
 *   <li>sets {@code FEATURE_SECURE_PROCESSING} and the JDK limits: element depth, attributes per element, name length,
 *       entity expansion and entity sizes (the last only matter if a DTD ever got through);</li>
 *   <li>counts the bytes it reads and stops at {@link XmlLimits#maxBytes()}.</li>
 * </ul>
 *
 * <p>The DOM parser also drops comments and joins CDATA with adjacent text, so that a text node is the whole text:
 * a comment inside a signed value ({@code ad<!---->min}) cannot make the application read a different string than
 * the one canonicalisation signed. Namespace awareness is on (XML signatures need it).
 *
 * <p>Instances are immutable and thread-safe; {@link #standard()} is the shared one with {@link XmlLimits#defaults()}.
 */
public final class SecureXml {

    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final String EXTERNAL_GENERAL_ENTITIES = "http://xml.org/sax/features/external-general-entities";
    private static final String EXTERNAL_PARAMETER_ENTITIES = "http://xml.org/sax/features/external-parameter-entities";
    private static final String LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";

    // JDK XML limits (java.xml module summary); 0 would mean "no limit", so none of these is ever 0
    private static final String MAX_DEPTH = "jdk.xml.maxElementDepth";
    private static final String MAX_ATTRIBUTES = "jdk.xml.elementAttributeLimit";
    private static final String MAX_NAME = "jdk.xml.maxXMLNameLimit";
    private static final Map<String, String> ENTITY_LIMITS = Map.of(
            "jdk.xml.entityExpansionLimit", "64",
            "jdk.xml.maxGeneralEntitySizeLimit", "65536",
            "jdk.xml.maxParameterEntitySizeLimit", "65536",
            "jdk.xml.totalEntitySizeLimit", "1048576",
            "jdk.xml.entityReplacementLimit", "1048576");

    private static final SecureXml STANDARD = new SecureXml(XmlLimits.defaults());

    private final XmlLimits limits;
    private final DocumentBuilderFactory documentBuilders;
    private final SAXParserFactory saxParsers;

    private SecureXml(XmlLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.documentBuilders = documentBuilderFactory(limits);
        this.saxParsers = saxParserFactory();
    }

    /** The shared instance with the default limits. */
    public static SecureXml standard() {
        return STANDARD;
    }

    /** An instance with other limits (a larger byte limit for a streaming reader, a smaller one for an API). */
    public static SecureXml withLimits(XmlLimits limits) {
        return new SecureXml(limits);
    }

    public XmlLimits limits() {
        return limits;
    }

    // ------------------------------------------------------------------ DOM

    /**
     * Parses a document under the limits. The stream is read, not closed.
     *
     * @throws XmlSecurityException DOCTYPE_REFUSED, TOO_LARGE, TOO_DEEP, LIMIT_EXCEEDED or MALFORMED
     * @throws IOException          when reading the stream fails
     */
    public Document parse(InputStream in) throws XmlSecurityException, IOException {
        BoundedInputStream limited = new BoundedInputStream(in, limits.maxBytes(), "input", false);
        DocumentBuilder builder = newDocumentBuilder();
        try {
            return builder.parse(limited);
        } catch (SAXException e) {
            throw refusal(e, limited);
        } catch (IOException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            throw e;
        }
    }

    /** An empty document to build XML in (a signed evidence record, an OSCI message). */
    public Document newDocument() {
        return newDocumentBuilder().newDocument();
    }

    /**
     * A hardened DOM builder, for libraries that insist on one. It enforces everything except the byte limit, which
     * only {@link #parse(InputStream)} counts. A builder is not thread-safe; take one per use.
     */
    public DocumentBuilder newDocumentBuilder() {
        try {
            DocumentBuilder builder;
            synchronized (documentBuilders) { // JAXP factories are not specified to be thread-safe
                builder = documentBuilders.newDocumentBuilder();
            }
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity " + systemId + " refused");
            });
            builder.setErrorHandler(THROWING);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM parser refuses the hardening features", e);
        }
    }

    // ------------------------------------------------------------------ SAX

    /**
     * Parses with SAX under the limits (for one-pass extraction from large documents). The stream is not closed.
     *
     * @throws XmlSecurityException DOCTYPE_REFUSED, TOO_LARGE, TOO_DEEP, LIMIT_EXCEEDED or MALFORMED; an exception the
     *                              handler throws arrives as MALFORMED with the handler's exception as cause
     */
    public void parse(InputStream in, DefaultHandler handler) throws XmlSecurityException, IOException {
        BoundedInputStream limited = new BoundedInputStream(in, limits.maxBytes(), "input", false);
        try {
            newSaxParser().parse(limited, handler);
        } catch (SAXException e) {
            throw refusal(e, limited);
        } catch (IOException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            throw e;
        }
    }

    /** A hardened SAX parser (no byte limit: see {@link #parse(InputStream, DefaultHandler)}). Not thread-safe. */
    public SAXParser newSaxParser() {
        try {
            SAXParser parser;
            synchronized (saxParsers) {
                parser = saxParsers.newSAXParser();
            }
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            parser.setProperty(MAX_DEPTH, Integer.toString(limits.maxDepth()));
            parser.setProperty(MAX_ATTRIBUTES, Integer.toString(limits.maxAttributesPerElement()));
            parser.setProperty(MAX_NAME, Integer.toString(limits.maxNameLength()));
            for (Map.Entry<String, String> e : ENTITY_LIMITS.entrySet()) {
                parser.setProperty(e.getKey(), e.getValue());
            }
            return parser;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser refuses the hardening features", e);
        }
    }

    // ------------------------------------------------------------------ StAX

    /**
     * A streaming reader under the limits, for XML too large for a DOM. A DOCTYPE, the byte limit and the depth
     * limit end the stream with an {@link XMLStreamException} whose cause is an {@link XmlSecurityException} naming
     * the reason. Closing the reader does not close {@code in}.
     */
    public XMLStreamReader streamReader(InputStream in) throws XmlSecurityException {
        BoundedInputStream limited = new BoundedInputStream(in, limits.maxBytes(), "input", false);
        try {
            return new GuardedStreamReader(newInputFactory().createXMLStreamReader(limited), limited);
        } catch (XMLStreamException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            throw new XmlSecurityException(Reason.MALFORMED, null, "XML stream cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A hardened StAX factory (DTD support off; the reader does not refuse a DOCTYPE event by itself and counts no
     * bytes: prefer {@link #streamReader(InputStream)}). The JDK's implementation, not Woodstox.
     */
    public XMLInputFactory newInputFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(MAX_DEPTH, Integer.toString(limits.maxDepth()));
        f.setProperty(MAX_ATTRIBUTES, Integer.toString(limits.maxAttributesPerElement()));
        f.setProperty(MAX_NAME, Integer.toString(limits.maxNameLength()));
        ENTITY_LIMITS.forEach(f::setProperty);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource " + systemId + " refused");
        });
        return f;
    }

    // ------------------------------------------------------------------ serialising

    /** Writes a node as UTF-8 XML, exactly as it is (no indentation, which would break signatures). */
    public void serialize(Node node, OutputStream out) throws XmlSecurityException {
        try {
            newSerializer().transform(new DOMSource(node), new StreamResult(out));
        } catch (TransformerException e) {
            throw new XmlSecurityException(Reason.MALFORMED, node.getNodeName(), "XML node " + node.getNodeName()
                    + " cannot be serialised: " + e.getMessage(), e);
        }
    }

    /** A hardened identity transformer writing UTF-8 without indentation. Not thread-safe. */
    public Transformer newSerializer() {
        try {
            Transformer t = newTransformerFactory().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            t.setOutputProperty(OutputKeys.METHOD, "xml");
            return t;
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException("the JDK's transformer refuses the hardening features", e);
        }
    }

    /** A hardened transformer factory: secure processing, no external DTD or stylesheet access. */
    public TransformerFactory newTransformerFactory() {
        try {
            TransformerFactory f = TransformerFactory.newDefaultInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            f.setURIResolver((href, base) -> {
                throw new TransformerException("external resource " + href + " refused");
            });
            return f;
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException("the JDK's transformer factory refuses secure processing", e);
        }
    }

    // ------------------------------------------------------------------ schemas and XPath

    /**
     * A hardened schema factory: secure processing, no external DTD or schema access. Schemas with imports are
     * loaded through an {@code LSResourceResolver} the caller sets, serving the imported files from the class path.
     */
    public SchemaFactory newSchemaFactory() {
        try {
            SchemaFactory f = SchemaFactory.newDefaultInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return f;
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            throw new IllegalStateException("the JDK's schema factory refuses the hardening features", e);
        }
    }

    /** A validator for a schema with no external access; validate a DOM this class parsed. Not thread-safe. */
    public Validator newValidator(Schema schema) {
        try {
            Validator v = schema.newValidator();
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            v.setErrorHandler(THROWING);
            return v;
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            throw new IllegalStateException("the JDK's validator refuses the hardening features", e);
        }
    }

    /** An XPath engine with secure processing (no extension functions). Use it on nodes a verifier handed back. */
    public XPath newXPath() {
        try {
            XPathFactory f = XPathFactory.newDefaultInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newXPath();
        } catch (XPathFactoryConfigurationException e) {
            throw new IllegalStateException("the JDK's XPath factory refuses secure processing", e);
        }
    }

    // ------------------------------------------------------------------ internals

    private static DocumentBuilderFactory documentBuilderFactory(XmlLimits limits) {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        try {
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setIgnoringComments(true);
            f.setCoalescing(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature(DISALLOW_DOCTYPE, true);
            f.setFeature(EXTERNAL_GENERAL_ENTITIES, false);
            f.setFeature(EXTERNAL_PARAMETER_ENTITIES, false);
            f.setFeature(LOAD_EXTERNAL_DTD, false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute(MAX_DEPTH, Integer.toString(limits.maxDepth()));
            f.setAttribute(MAX_ATTRIBUTES, Integer.toString(limits.maxAttributesPerElement()));
            f.setAttribute(MAX_NAME, Integer.toString(limits.maxNameLength()));
            ENTITY_LIMITS.forEach(f::setAttribute);
            return f;
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK's DOM parser refuses the hardening features", e);
        }
    }

    private static SAXParserFactory saxParserFactory() {
        SAXParserFactory f = SAXParserFactory.newDefaultNSInstance();
        try {
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature(DISALLOW_DOCTYPE, true);
            f.setFeature(EXTERNAL_GENERAL_ENTITIES, false);
            f.setFeature(EXTERNAL_PARAMETER_ENTITIES, false);
            f.setFeature(LOAD_EXTERNAL_DTD, false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser refuses the hardening features", e);
        }
    }

    private XmlSecurityException tooLarge() {
        return new XmlSecurityException(Reason.TOO_LARGE, limits.maxBytes() + " bytes",
                "XML input is larger than the limit of " + limits.maxBytes() + " bytes");
    }

    /** Names the refusal; the JDK reports its limits with stable JAXP message codes. */
    private XmlSecurityException refusal(SAXException e, BoundedInputStream limited) {
        if (limited.exceeded() || causedByLimit(e)) {
            return tooLarge();
        }
        String m = String.valueOf(e.getMessage());
        String where = e instanceof SAXParseException p ? " (line " + p.getLineNumber() + ", column "
                + p.getColumnNumber() + ")" : "";
        if (m.contains("DOCTYPE") || m.contains(DISALLOW_DOCTYPE)) {
            return new XmlSecurityException(Reason.DOCTYPE_REFUSED, "DOCTYPE",
                    "XML with a DOCTYPE declaration is refused (no DTDs, no entities)" + where, e);
        }
        if (m.contains("JAXP00010006")) {
            return new XmlSecurityException(Reason.TOO_DEEP, "depth " + limits.maxDepth(),
                    "XML elements are nested deeper than the limit of " + limits.maxDepth() + where, e);
        }
        if (m.contains("JAXP0001")) {
            return new XmlSecurityException(Reason.LIMIT_EXCEEDED, null, "XML exceeds a parser limit" + where + ": "
                    + m, e);
        }
        return new XmlSecurityException(Reason.MALFORMED, null, "XML is not well-formed" + where + ": " + m, e);
    }

    private static boolean causedByLimit(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BoundedInputStream.LimitExceededException) {
                return true;
            }
        }
        return false;
    }

    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // warnings (an unused namespace, ...) do not change what is parsed
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /** Refuses a DTD event and turns a byte-limit failure into a named one. */
    private final class GuardedStreamReader extends StreamReaderDelegate {
        private final BoundedInputStream limited;

        GuardedStreamReader(XMLStreamReader reader, BoundedInputStream limited) {
            super(reader);
            this.limited = limited;
        }

        @Override
        public int next() throws XMLStreamException {
            int event;
            try {
                event = super.next();
            } catch (XMLStreamException e) {
                if (limited.exceeded() || causedByLimit(e)) {
                    throw new XMLStreamException(e.getMessage(), tooLarge());
                }
                if (String.valueOf(e.getMessage()).contains("JAXP00010006")) {
                    throw new XMLStreamException(e.getMessage(), new XmlSecurityException(Reason.TOO_DEEP,
                            "depth " + limits.maxDepth(), "XML elements are nested deeper than the limit of "
                            + limits.maxDepth(), e));
                }
                throw e;
            }
            if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_DECLARATION
                    || event == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new XMLStreamException("XML with a DOCTYPE declaration is refused",
                        new XmlSecurityException(Reason.DOCTYPE_REFUSED, "DOCTYPE",
                                "XML with a DOCTYPE declaration is refused (no DTDs, no entities)"));
            }
            return event;
        }

        @Override
        public int nextTag() throws XMLStreamException {
            int event = next();
            while ((event == XMLStreamConstants.CHARACTERS && isWhiteSpace())
                    || (event == XMLStreamConstants.CDATA && isWhiteSpace())
                    || event == XMLStreamConstants.SPACE
                    || event == XMLStreamConstants.PROCESSING_INSTRUCTION
                    || event == XMLStreamConstants.COMMENT) {
                event = next();
            }
            if (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
                throw new XMLStreamException("expected a start or end tag", getLocation());
            }
            return event;
        }

        @Override
        public String getElementText() throws XMLStreamException {
            if (getEventType() != XMLStreamConstants.START_ELEMENT) {
                throw new XMLStreamException("not at a start tag", getLocation());
            }
            StringBuilder text = new StringBuilder();
            for (int event = next(); event != XMLStreamConstants.END_ELEMENT; event = next()) {
                if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE) {
                    text.append(getText());
                } else if (event == XMLStreamConstants.START_ELEMENT) {
                    throw new XMLStreamException("element text expected, found a child element", getLocation());
                } else if (event == XMLStreamConstants.END_DOCUMENT) {
                    throw new XMLStreamException("document ended inside an element", getLocation());
                }
            }
            return text.toString();
        }
    }
}
