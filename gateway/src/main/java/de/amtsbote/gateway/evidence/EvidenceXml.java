package de.amtsbote.gateway.evidence;

import de.amtsbote.crypto.evidence.EvidenceVerifier;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the facts of an evidence document as XML in namespace {@value #NAMESPACE}. {@link EvidenceSeal} signs
 * these bytes (or marks them unsigned); what it returns is what is stored and digested, never re-serialised.
 * The root element carries an {@code Id} attribute ({@code ev-<id>}) naming the document.
 */
public final class EvidenceXml {

    public static final String NAMESPACE = EvidenceVerifier.NAMESPACE;
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private EvidenceXml() {
    }

    /** The document without signature. */
    public static byte[] write(EvidenceDocument e) {
        return write(e, null);
    }

    /**
     * The document with an {@value EvidenceVerifier#UNSIGNED_MARKER} element saying why it is not signed, so that
     * nobody takes it for signed evidence that lost its signature.
     */
    public static byte[] writeUnsigned(EvidenceDocument e, String why) {
        return write(e, why);
    }

    private static byte[] write(EvidenceDocument e, String unsigned) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter x = OUTPUT.createXMLStreamWriter(bytes, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeStartElement("Evidence");
            x.writeDefaultNamespace(NAMESPACE);
            x.writeAttribute("Id", "ev-" + e.id());
            x.writeAttribute("version", "1");
            text(x, "EventType", e.event().standardName());
            text(x, "EventTime", format(e.time()));
            text(x, "EvidenceId", e.id());
            text(x, "MessageId", e.messageId());
            text(x, "DeliveryId", e.deliveryId());
            text(x, "Sender", e.sender());
            for (String recipient : e.recipients()) {
                text(x, "Recipient", recipient);
            }
            text(x, "Channel", e.channel());
            if (e.stateFrom() != null || e.stateTo() != null) {
                x.writeEmptyElement("StateTransition");
                if (e.stateFrom() != null) {
                    x.writeAttribute("from", e.stateFrom());
                }
                if (e.stateTo() != null) {
                    x.writeAttribute("to", e.stateTo());
                }
            }
            text(x, "Attempt", e.attempt() == null ? null : e.attempt().toString());
            text(x, "Node", e.node());
            text(x, "Reason", e.reason());
            if (e.contentDigest() != null) {
                x.writeStartElement("ContentDigest");
                x.writeAttribute("algorithm", "SHA-256");
                x.writeCharacters(e.contentDigest());
                x.writeEndElement();
            }
            text(x, "Reference", e.reference());
            text(x, "TransportReference", e.transportReference());
            text(x, "IssuerTime", e.issuerTime() == null ? null : format(e.issuerTime()));
            if (e.proof() != null) {
                x.writeStartElement("TransportProof");
                x.writeAttribute("mediaType", e.proof().mediaType());
                x.writeAttribute("assurance", e.proof().assurance().name());
                x.writeCharacters(Base64.getEncoder().encodeToString(e.proof().content()));
                x.writeEndElement();
            }
            if (e.previous() != null) {
                x.writeStartElement("PreviousEvidence");
                x.writeAttribute("algorithm", "SHA-256");
                x.writeCharacters(e.previous());
                x.writeEndElement();
            }
            text(x, EvidenceVerifier.UNSIGNED_MARKER, unsigned);
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException ex) {
            throw new IllegalStateException("cannot write evidence " + e.id(), ex);
        }
        return bytes.toByteArray();
    }

    private static void text(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    private static String format(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time);
    }
}
