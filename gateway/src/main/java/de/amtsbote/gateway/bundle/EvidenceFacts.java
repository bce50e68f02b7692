package de.amtsbote.gateway.bundle;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.gateway.evidence.EvidenceXml;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What the report (and the console's timeline) shows of one evidence document, read back from the stored bytes (the
 * document is the record; the report only repeats it). Optional facts are null. Only the evidence namespace's direct
 * children of the root are read, so a signature or anything else embedded in the document is ignored here.
 *
 * @param id            the evidence id
 * @param event         the event's EN 319 522 name
 * @param time          when the gateway recorded it
 * @param deliveryId    the delivery it is about, null for message-wide events
 * @param channel       the channel
 * @param recipients    the recipients' channel addresses
 * @param stateTo       the delivery state after the event
 * @param reason        why (failures, expiry)
 * @param contentDigest SHA-256 of the message's content manifest, as the document states it
 * @param issuerTime    the time the proof's issuer states
 * @param assurance     who vouches for the transport proof, null without one
 * @param proofType     the transport proof's media type, null without one
 * @param previous      SHA-256 of the previous evidence document in the chain
 * @param sha256        SHA-256 of this document's bytes
 */
public record EvidenceFacts(String id, String event, Instant time, String deliveryId, String channel,
                     List<String> recipients, String stateTo, String reason, String contentDigest, Instant issuerTime,
                     String assurance, String proofType, String previous, String sha256) {

    private static final SecureXml XML = SecureXml.standard();
    private static final Set<String> TEXT_ELEMENTS = Set.of("EventType", "EventTime", "DeliveryId", "Channel",
            "Recipient", "Reason", "ContentDigest", "IssuerTime", "PreviousEvidence");

    public EvidenceFacts {
        recipients = List.copyOf(recipients);
    }

    /** Reads a stored evidence document; a document that cannot be read is an error naming it. */
    public static EvidenceFacts read(String id, byte[] document) {
        String event = null;
        Instant time = null;
        Instant issuerTime = null;
        String deliveryId = null;
        String channel = null;
        String stateTo = null;
        String reason = null;
        String contentDigest = null;
        String assurance = null;
        String proofType = null;
        String previous = null;
        List<String> recipients = new ArrayList<>();
        try {
            XMLStreamReader x = XML.streamReader(new ByteArrayInputStream(document));
            try {
                int depth = 0;
                while (x.hasNext()) {
                    int type = x.next();
                    if (type == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                        continue;
                    }
                    if (type != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    depth++;
                    if (depth != 2 || !EvidenceXml.NAMESPACE.equals(x.getNamespaceURI())) {
                        continue;
                    }
                    String name = x.getLocalName();
                    if (name.equals("StateTransition")) {
                        stateTo = x.getAttributeValue(null, "to");
                        continue;
                    }
                    if (name.equals("TransportProof")) {
                        assurance = x.getAttributeValue(null, "assurance");
                        proofType = x.getAttributeValue(null, "mediaType");
                        continue;
                    }
                    if (!TEXT_ELEMENTS.contains(name)) {
                        continue; // elements this report does not show (and may not know) are left alone
                    }
                    String text = x.getElementText().strip();
                    depth--; // getElementText consumed the end tag
                    switch (name) {
                        case "EventType" -> event = text;
                        case "EventTime" -> time = Instant.parse(text);
                        case "DeliveryId" -> deliveryId = text;
                        case "Channel" -> channel = text;
                        case "Recipient" -> recipients.add(text);
                        case "Reason" -> reason = text;
                        case "ContentDigest" -> contentDigest = text;
                        case "IssuerTime" -> issuerTime = Instant.parse(text);
                        default -> previous = text; // PreviousEvidence
                    }
                }
            } finally {
                x.close();
            }
        } catch (XMLStreamException | XmlSecurityException | DateTimeParseException e) {
            throw new IllegalStateException("evidence " + id + " cannot be read for the bundle: " + e.getMessage(), e);
        }
        if (event == null || time == null) {
            throw new IllegalStateException("evidence " + id + " has no EventType or EventTime");
        }
        return new EvidenceFacts(id, event, time, deliveryId, channel, recipients, stateTo, reason, contentDigest,
                issuerTime, assurance, proofType, previous, ContentDigester.hexOf(document));
    }
}
