package de.amtsbote.sandbox.demail;

import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSigner;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes Bestätigungen (confirmations) and Meldungen (notifications) as the wire contract section 4 describes: the
 * mail from the issuing DMDA's system address, a {@code multipart/mixed} body with the signed XML ({@code urn:de-mail},
 * enveloped XML-DSig) and its PDF rendering, and a signed {@code X-de-mail-integrity}.
 */
final class Confirmations {

    static final String NS = "urn:de-mail";
    private static final DateTimeFormatter XS_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GERMAN =
            DateTimeFormatter.ofPattern("dd.MM.uuuu 'um' HH:mm:ss 'Uhr (UTC)'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** What is issued: message type, subject tag and system address of each kind. */
    enum Kind {
        DISPATCH("confirmation of dispatch", "Versandbestätigung", "Versandbestaetigung"),
        RECEIPT("confirmation of receipt", "Eingangsbestätigung", "Eingangsbestaetigung"),
        RETRIEVE("confirmation of retrieve", "Abholbestätigung", "Abholbestaetigung"),
        NOTIFICATION("notification", "Meldung", "Meldung");

        final String messageType;
        final String title;
        final String systemLocalPart;

        Kind(String messageType, String title, String systemLocalPart) {
            this.messageType = messageType;
            this.title = title;
            this.systemLocalPart = systemLocalPart;
        }
    }

    /** The issuing DMDA: its domain and keys. */
    record Issuer(String dmdaDomain, Integrity.Signer signer, X509Certificate certificate, XmlSigner xmlSigner) {
        String systemAddress(Kind kind) {
            return kind.systemLocalPart + "@" + dmdaDomain;
        }
    }

    /** One confirmation or notification, before it is written. */
    record Request(Kind kind, String notificationType, AcceptedMessage original, String to, Instant time,
                   Instant deliveryTime, String text) {
    }

    /** The written mail and the facts for the log. */
    record Issued(byte[] message, String demailMessageId, String from) {
    }

    private Confirmations() {
    }

    static Issued write(Issuer issuer, Request r) throws IOException {
        Instant time = r.time().truncatedTo(ChronoUnit.SECONDS);
        String from = issuer.systemAddress(r.kind());
        String subject = "*" + r.kind().title + "* " + r.original().subject();
        String id = "<" + UUID.randomUUID() + "@" + issuer.dmdaDomain() + ">";
        String base = r.kind() == Kind.NOTIFICATION ? "notification" : "confirmation";
        byte[] xml = xml(issuer, r, from, subject, time);
        byte[] pdf = pdf(r, from, subject, time);
        String boundary = "----=_DeMail_" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream(xml.length + pdf.length * 2);
        ascii(body, "--" + boundary + "\r\n" + part("application/xml", base + ".xml"));
        base64(body, xml);
        ascii(body, "--" + boundary + "\r\n" + part("application/pdf", base + ".pdf"));
        base64(body, pdf);
        ascii(body, "--" + boundary + "--\r\n");
        byte[] bodyBytes = body.toByteArray();

        List<HeaderFields.Field> f = new ArrayList<>();
        field(f, "From", from);
        field(f, "To", "<" + r.to() + ">");
        field(f, "Subject", encode(subject));
        field(f, "Date", RFC_5322.format(time));
        field(f, "Message-ID", id);
        field(f, "MIME-Version", "1.0");
        field(f, "X-de-mail-sender", from);
        field(f, "X-de-mail-chosen-recipient", "to=" + r.to());
        field(f, "X-de-mail-private", SubmissionRules.yes(r.original().headers(), "X-de-mail-private") ? "yes" : "no");
        field(f, "X-de-mail-originator-provider", issuer.dmdaDomain());
        field(f, "X-de-mail-message-type", r.kind().messageType);
        if (r.kind() == Kind.NOTIFICATION) {
            field(f, "X-de-mail-notification-type", r.notificationType());
        }
        field(f, "X-de-mail-version", DeMailProvider.VERSION);
        String privateId = r.original().headers().first("X-de-mail-private-id").map(x -> x.value()).orElse(null);
        if (privateId != null) {
            field(f, "X-de-mail-private-id", privateId);
        }
        field(f, "X-de-mail-message-id", id);
        field(f, "X-de-mail-actual-recipient", "to=" + r.to());
        field(f, "Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
        f.add(new HeaderFields.Field(Integrity.CERTIFICATE_FIELD, Integrity.certificateField(issuer.certificate())));
        Integrity.BodyHash hash = new Integrity.BodyHash(Integrity.digestFor(issuer.signer()));
        hash.write(bodyBytes, 0, bodyBytes.length);
        String integrity;
        try {
            integrity = Integrity.field(HeaderFields.of(f), hash.hash(), issuer.dmdaDomain(), time, issuer.signer());
        } catch (KeyOperationException e) {
            throw new IOException(issuer.dmdaDomain() + " cannot sign the " + r.kind().title + ": " + e.getMessage(), e);
        }
        f.add(new HeaderFields.Field(Integrity.FIELD, integrity));
        ByteArrayOutputStream message = new ByteArrayOutputStream(bodyBytes.length + 4096);
        message.writeBytes(HeaderFields.of(f).bytes());
        message.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        message.writeBytes(bodyBytes);
        return new Issued(message.toByteArray(), id, from);
    }

    private static byte[] xml(Issuer issuer, Request r, String from, String subject, Instant time) throws IOException {
        Document doc = SecureXml.standard().newDocument();
        boolean notification = r.kind() == Kind.NOTIFICATION;
        Element root = doc.createElementNS(NS, notification ? "dm:Notification" : "dm:Confirmation");
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:dm", NS);
        root.setAttribute("Type", notification ? r.notificationType() : r.kind().messageType);
        doc.appendChild(root);
        child(root, "Subject", subject);
        child(root, "Text", r.text());
        Element metadata = child(root, "Metadata", null);
        HeaderFields original = r.original().headers();
        List<String> names = new ArrayList<>(Integrity.signedNames(original));
        names.add("X-de-mail-actual-recipient");
        for (String name : names) {
            original.first(name).ifPresent(field -> {
                Element m = child(metadata, "Metadate", null);
                child(m, "Name", name);
                child(m, "Value", field.value());
                child(m, "OriginalHeader", field.raw());
            });
        }
        child(root, "Hash", r.original().integrity());
        child(root, "Time", XS_DATE_TIME.format(time));
        if (r.kind() == Kind.RETRIEVE) {
            child(root, "DeliveryTime", XS_DATE_TIME.format(r.deliveryTime()));
        }
        child(root, "Sender", from);
        try {
            issuer.xmlSigner().signEnveloped(doc);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SecureXml.standard().serialize(doc, out);
            return out.toByteArray();
        } catch (XmlSecurityException e) {
            throw new IOException(issuer.dmdaDomain() + " cannot sign the XML of the " + r.kind().title + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] pdf(Request r, String from, String subject, Instant time) throws IOException {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"Betreff", subject});
        lines.add(new String[] {"Text", r.text()});
        lines.add(new String[] {"Absender der Nachricht", r.original().sender()});
        lines.add(new String[] {"Empfänger der Nachricht", r.original().recipient()});
        lines.add(new String[] {"Message-ID", r.original().headers().value("Message-ID")});
        lines.add(new String[] {"X-de-mail-message-id", r.original().demailMessageId()});
        String privateId = r.original().headers().value("X-de-mail-private-id");
        if (privateId != null) {
            lines.add(new String[] {"X-de-mail-private-id", privateId});
        }
        lines.add(new String[] {"Zeitpunkt", GERMAN.format(time)});
        if (r.kind() == Kind.RETRIEVE) {
            lines.add(new String[] {"Eingelegt", GERMAN.format(r.deliveryTime())});
        }
        lines.add(new String[] {"Hashwert (X-de-mail-integrity)", r.original().integrity()});
        lines.add(new String[] {"Aussteller", from});
        return PdfRendering.render(subject, lines);
    }

    /** German text of a time for the confirmation texts. */
    static String german(Instant time) {
        return GERMAN.format(time);
    }

    private static Element child(Element parent, String name, String text) {
        Element e = parent.getOwnerDocument().createElementNS(NS, "dm:" + name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    private static String part(String type, String name) {
        return "Content-Type: " + type + "; name=\"" + name + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n";
    }

    private static void base64(ByteArrayOutputStream out, byte[] data) {
        String b = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data);
        ascii(out, b + "\r\n");
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void field(List<HeaderFields.Field> f, String name, String value) {
        f.add(new HeaderFields.Field(name, folded(name, value)));
    }

    /** {@code name: value} folded at whitespace where longer than 76 characters, CRLF line breaks. */
    static String folded(String name, String value) {
        return MimeUtility.fold(0, name + ": " + value).replaceAll("\r?\n", "\r\n");
    }

    /** RFC 2047 (UTF-8, B) where the text is not plain ASCII. */
    static String encode(String text) {
        try {
            return MimeUtility.encodeText(text.replaceAll("[\\r\\n]+", " "), "UTF-8", "B");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }
}
