package de.amtsbote.crypto.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.xml.XmlSecurityException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

class SecureXmlTest {

    private static final String BILLION_LAUGHS = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <lolz>&lol9;</lolz>
            """;

    private final SecureXml xml = SecureXml.standard();

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ DOM

    @Test
    void parsesAnOrdinaryNamespacedDocument() throws Exception {
        Document d = parse("<a:Nachricht xmlns:a=\"urn:a\"><a:Betreff>Hundesteuer</a:Betreff></a:Nachricht>");

        assertThat(d.getDocumentElement().getNamespaceURI()).isEqualTo("urn:a");
        assertThat(d.getDocumentElement().getLocalName()).isEqualTo("Nachricht");
        assertThat(d.getDocumentElement().getTextContent()).isEqualTo("Hundesteuer");
    }

    @Test
    void refusesAnExternalEntityThatWouldReadALocalFile() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "geheimes-passwort");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><a>&x;</a>";

        assertThatThrownBy(() -> parse(xxe))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DOCTYPE_REFUSED);
                    assertThat(e.getMessage()).doesNotContain("geheimes-passwort");
                });
    }

    @Test
    void refusesBillionLaughs() {
        assertThatThrownBy(() -> parse(BILLION_LAUGHS))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DOCTYPE_REFUSED));
    }

    @Test
    void refusesEvenAHarmlessDoctype() {
        assertThatThrownBy(() -> parse("<!DOCTYPE a><a/>"))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DOCTYPE_REFUSED);
                    assertThat(e.getMessage()).contains("DOCTYPE");
                });
    }

    @Test
    void neverFetchesAnExternalDtd() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String doc = "<!DOCTYPE a SYSTEM \"http://127.0.0.1:" + server.getLocalPort() + "/evil.dtd\"><a/>";

            assertThatThrownBy(() -> parse(doc)).isInstanceOfSatisfying(XmlSecurityException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.DOCTYPE_REFUSED));
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void refusesInputBeyondTheByteLimit() {
        SecureXml small = SecureXml.withLimits(XmlLimits.defaults().withMaxBytes(1000));
        String big = "<a>" + "x".repeat(2000) + "</a>";

        assertThatThrownBy(() -> small.parse(stream(big)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
                    assertThat(e.getMessage()).contains("1000 bytes");
                });
    }

    @Test
    void stopsReadingAtTheByteLimitInsteadOfConsumingAnEndlessStream() {
        SecureXml small = SecureXml.withLimits(XmlLimits.defaults().withMaxBytes(100_000));
        InputStream endless = new InputStream() {
            private final byte[] open = "<a>".getBytes(UTF_8);
            private long position;

            @Override
            public int read() {
                return position < open.length ? open[(int) position++] : (position++ > 0 ? 'x' : -1);
            }
        };

        assertThatThrownBy(() -> small.parse(endless)).isInstanceOfSatisfying(XmlSecurityException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void refusesNestingBeyondTheDepthLimit() {
        assertThatThrownBy(() -> parse(nested(XmlLimits.DEFAULT_MAX_DEPTH + 1)))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP);
                    assertThat(e.getMessage()).contains(Integer.toString(XmlLimits.DEFAULT_MAX_DEPTH));
                });
    }

    @Property(tries = 30)
    void parsesExactlyTheDocumentsWithinTheDepthLimit(@ForAll @IntRange(min = 1, max = 40) int depth,
                                                      @ForAll @IntRange(min = 1, max = 40) int limit) throws IOException {
        SecureXml limited = SecureXml.withLimits(XmlLimits.defaults().withMaxDepth(limit));
        try {
            limited.parse(stream(nested(depth)));
            assertThat(depth).isLessThanOrEqualTo(limit);
        } catch (XmlSecurityException e) {
            assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP);
            assertThat(depth).isGreaterThan(limit);
        }
    }

    @Test
    void refusesTooManyAttributesOnOneElement() {
        StringBuilder s = new StringBuilder("<a");
        for (int i = 0; i <= XmlLimits.DEFAULT_MAX_ATTRIBUTES; i++) {
            s.append(" a").append(i).append("=\"1\"");
        }
        s.append("/>");

        assertThatThrownBy(() -> parse(s.toString())).isInstanceOfSatisfying(XmlSecurityException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
    }

    @Test
    void namesMalformedXmlWithItsPosition() {
        assertThatThrownBy(() -> parse("<a>\n<b></a>"))
                .isInstanceOfSatisfying(XmlSecurityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
                    assertThat(e.getMessage()).contains("line 2");
                });
    }

    @Test
    void doesNotProcessXInclude() throws Exception {
        Path included = Files.writeString(dir.resolve("inc.xml"), "<geheim>inhalt</geheim>");
        Document d = parse("<a xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                + included.toUri() + "\"/></a>");

        assertThat(d.getDocumentElement().getTextContent()).doesNotContain("inhalt");
        assertThat(d.getElementsByTagNameNS("http://www.w3.org/2001/XInclude", "include").getLength()).isEqualTo(1);
    }

    @Test
    void commentsInsideTextDoNotSplitWhatTheApplicationReads() throws Exception {
        Document d = parse("<user><name>ad<!-- injected -->min</name><note><![CDATA[a<b]]>c</note></user>");

        Element name = (Element) d.getElementsByTagName("name").item(0);
        assertThat(name.getFirstChild().getNodeValue()).isEqualTo("admin");
        assertThat(name.getChildNodes().getLength()).isEqualTo(1);
        Node note = d.getElementsByTagName("note").item(0);
        assertThat(note.getFirstChild().getNodeValue()).isEqualTo("a<bc");
    }

    // ------------------------------------------------------------------ SAX and StAX

    @Test
    void saxParsingRefusesADoctype() {
        assertThatThrownBy(() -> xml.parse(stream(BILLION_LAUGHS), new DefaultHandler()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DOCTYPE_REFUSED));
    }

    @Test
    void saxParsingDeliversElements() throws Exception {
        List<String> names = new ArrayList<>();
        xml.parse(stream("<a xmlns=\"urn:x\"><b/><c/></a>"), new DefaultHandler() {
            @Override
            public void startElement(String uri, String local, String qName, Attributes attributes) {
                names.add(uri + ":" + local);
            }
        });

        assertThat(names).containsExactly("urn:x:a", "urn:x:b", "urn:x:c");
    }

    @Test
    void saxParsingRefusesNestingBeyondTheDepthLimit() {
        assertThatThrownBy(() -> xml.parse(stream(nested(XmlLimits.DEFAULT_MAX_DEPTH + 1)), new DefaultHandler()))
                .isInstanceOfSatisfying(XmlSecurityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP));
    }

    @Test
    void streamingReaderRefusesADoctypeBeforeTheFirstElement() throws Exception {
        XMLStreamReader r = xml.streamReader(stream("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"));

        assertThatThrownBy(() -> drain(r)).isInstanceOfSatisfying(XMLStreamException.class,
                e -> assertThat(((XmlSecurityException) e.getCause()).reason()).isEqualTo(Reason.DOCTYPE_REFUSED));
    }

    @Test
    void streamingReaderRefusesNestingBeyondTheDepthLimit() throws Exception {
        XMLStreamReader r = xml.streamReader(stream(nested(XmlLimits.DEFAULT_MAX_DEPTH + 1)));

        assertThatThrownBy(() -> drain(r)).isInstanceOfSatisfying(XMLStreamException.class,
                e -> assertThat(((XmlSecurityException) e.getCause()).reason()).isEqualTo(Reason.TOO_DEEP));
    }

    @Test
    void streamingReaderRefusesInputBeyondTheByteLimit() throws Exception {
        SecureXml small = SecureXml.withLimits(XmlLimits.defaults().withMaxBytes(10_000));
        XMLStreamReader r = small.streamReader(stream("<a>" + "<b>text</b>".repeat(5000) + "</a>"));

        assertThatThrownBy(() -> drain(r)).isInstanceOfSatisfying(XMLStreamException.class,
                e -> assertThat(((XmlSecurityException) e.getCause()).reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void streamingReaderReadsElementText() throws Exception {
        XMLStreamReader r = xml.streamReader(stream("<a>\n  <b>Bescheid</b></a>"));

        assertThat(r.nextTag()).isEqualTo(XMLStreamReader.START_ELEMENT);
        assertThat(r.nextTag()).isEqualTo(XMLStreamReader.START_ELEMENT);
        assertThat(r.getLocalName()).isEqualTo("b");
        assertThat(r.getElementText()).isEqualTo("Bescheid");
    }

    // ------------------------------------------------------------------ serialising, schemas, XPath

    @Test
    void serialisesWithoutChangingTheDocument() throws Exception {
        String source = "<a:x xmlns:a=\"urn:a\" b=\"1\">\n  <a:y>text &amp; more</a:y>\n</a:x>";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xml.serialize(parse(source), out);

        Document again = xml.parse(new ByteArrayInputStream(out.toByteArray()));
        assertThat(again.getDocumentElement().getTextContent()).isEqualTo("\n  text & more\n");
        assertThat(out.toString(UTF_8)).contains("<a:y>text &amp; more</a:y>");
    }

    @Test
    void transformerFactoryRefusesAStylesheetThatReadsAFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.xml"), "<s>geheim</s>");
        String xslt = "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
                + "<xsl:template match=\"/\"><out><xsl:value-of select=\"document('" + secret.toUri() + "')\"/></out>"
                + "</xsl:template></xsl:stylesheet>";

        Transformer t = xml.newTransformerFactory().newTransformer(new StreamSource(new StringReader(xslt)));

        assertThatThrownBy(() -> t.transform(new DOMSource(parse("<a/>")), new DOMResult()))
                .isInstanceOf(TransformerException.class)
                .satisfies(e -> assertThat(e.toString()).doesNotContain("geheim"));
    }

    @Test
    void schemaFactoryDoesNotFetchAnImportedSchema() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String xsd = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:a\">"
                    + "<xs:import namespace=\"urn:b\" schemaLocation=\"http://127.0.0.1:" + server.getLocalPort()
                    + "/b.xsd\"/><xs:element name=\"a\" type=\"xs:string\"/></xs:schema>";
            assertThatThrownBy(() -> xml.newSchemaFactory().newSchema(new DOMSource(parse(xsd))))
                    .isInstanceOf(SAXException.class)
                    .hasMessageContaining("accessExternalSchema");
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void validatesAgainstASchema() throws Exception {
        String xsd = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:a\">"
                + "<xs:element name=\"a\" type=\"xs:int\"/></xs:schema>";
        Schema schema = xml.newSchemaFactory().newSchema(new DOMSource(parse(xsd)));

        xml.newValidator(schema).validate(new DOMSource(parse("<a xmlns=\"urn:a\">42</a>")));
        assertThatThrownBy(() -> xml.newValidator(schema).validate(new DOMSource(parse("<a xmlns=\"urn:a\">x</a>"))))
                .isInstanceOf(SAXException.class);
    }

    @Test
    void xpathEvaluatesOnParsedNodes() throws Exception {
        Document d = parse("<a><b>1</b><b>2</b></a>");

        assertThat(xml.newXPath().evaluate("count(/a/b)", d)).isEqualTo("2");
    }

    // ------------------------------------------------------------------ helpers

    private Document parse(String s) throws XmlSecurityException, IOException {
        return xml.parse(stream(s));
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    private static String nested(int depth) {
        return "<e>".repeat(depth) + "</e>".repeat(depth);
    }

    private static void drain(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            r.next();
        }
    }
}
