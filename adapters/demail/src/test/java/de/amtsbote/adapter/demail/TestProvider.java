package de.amtsbote.adapter.demail;

import de.amtsbote.crypto.demail.DeMailIntegritySigner;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A De-Mail provider as the tests need one: it seals mails with its integrity field (hashed or signed) and issues
 * signed confirmations and notifications about a mail, written from the wire contract (section 3 and 4).
 */
final class TestProvider {

    final String domain;
    final SoftwareKeyHandle key;
    private final AlgorithmPolicy policy = AlgorithmPolicy.bsi();

    TestProvider(CertificateAuthority root, String domain) throws Exception {
        this(domain, root.issue(IssueRequest.named(domain).profile(CertificateProfile.PROVIDER)
                .key(KeySpec.ec("brainpoolP256r1"))));
    }

    TestProvider(String domain, IssuedCertificate certificate) {
        this.domain = domain;
        this.key = new SoftwareKeyHandle(new KeyRef(domain, KeyPurpose.EVIDENCE,
                certificate.certificate().getSerialNumber().toString(16)), certificate.privateKey(),
                certificate.chain());
    }

    /** What the provider adds on acceptance (section 3), then the integrity field: signed or only hashed. */
    byte[] accept(byte[] submitted, String messageId, boolean sign) throws Exception {
        String text = new String(submitted, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String recipient = value(text, "To");
        String added = "X-de-mail-message-id: " + messageId + "\r\n"
                + "X-de-mail-originator-provider: " + domain + "\r\n"
                + "X-de-mail-message-type: normal\r\n"
                + "X-de-mail-version: 1.7\r\n"
                + "X-de-mail-auth-level: high\r\n"
                + "X-de-mail-auth-mechanism: tls-client-certificate\r\n"
                + "X-de-mail-account-holder: Kreisverwaltung\r\n"
                + "X-de-mail-actual-recipient: to=" + recipient + "\r\n";
        byte[] withAdded = (text.substring(0, end + 2) + added + text.substring(end + 2))
                .getBytes(StandardCharsets.ISO_8859_1);
        return seal(withAdded, sign ? DeMailIntegritySigner.signing(key, policy)
                : DeMailIntegritySigner.hashing(Algorithm.SHA256));
    }

    byte[] seal(byte[] mail, DeMailIntegritySigner signer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        signer.seal(() -> new ByteArrayInputStream(mail), out, domain, Instant.parse("2026-11-25T09:30:00Z"));
        return out.toByteArray();
    }

    /** What a confirmation or notification says; tests change single fields to forge one. */
    static final class Statement {
        String type = "confirmation of receipt";
        String notificationType;
        String xmlType;
        String systemAddress;
        String mailbox;
        String subject = "Bescheid";
        String text = "Die Nachricht wurde in das Postfach eingelegt.";
        Map<String, String> metadata = new LinkedHashMap<>();
        String hash;
        String privateIdHeader;
        String time = "2026-11-25T09:31:12Z";
        /** The mail's Date (RFC 5322): how long a confirmation read before its message has waited. */
        String date = "Wed, 25 Nov 2026 09:31:12 +0000";
        String deliveryTime;
        boolean signIntegrity = true;
        SoftwareKeyHandle xmlKey;

        /** About the accepted mail {@code original}: its metadata and its integrity field, as received. */
        static Statement about(byte[] original, String mailbox) {
            String text = new String(original, StandardCharsets.ISO_8859_1);
            Statement s = new Statement();
            s.mailbox = mailbox;
            for (String name : new String[] {"From", "Date", "Message-ID", "Subject", "X-de-mail-sender",
                    "X-de-mail-chosen-recipient", "X-de-mail-private-id", "X-de-mail-message-id",
                    "X-de-mail-actual-recipient"}) {
                String v = value(text, name);
                if (v != null) {
                    s.metadata.put(name, v);
                }
            }
            s.hash = value(text, "X-de-mail-integrity");
            s.privateIdHeader = s.metadata.get("X-de-mail-private-id");
            return s;
        }
    }

    /** The confirmation or notification mail: XML signed, PDF beside it, integrity field signed. */
    byte[] issue(Statement s) throws Exception {
        boolean notification = s.type.equals("notification");
        String system = s.systemAddress != null ? s.systemAddress : (switch (s.type) {
            case "confirmation of dispatch" -> "Versandbestaetigung";
            case "confirmation of receipt" -> "Eingangsbestaetigung";
            case "confirmation of retrieve" -> "Abholbestaetigung";
            default -> "Meldung";
        }) + "@" + domain;
        Document doc = SecureXml.standard().newDocument();
        Element root = doc.createElementNS(DeMailInbound.NS, notification ? "dm:Notification" : "dm:Confirmation");
        // declared explicitly, so that the signed canonical form is the one a reader of the serialised XML sees
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:dm", DeMailInbound.NS);
        root.setAttribute("Type", s.xmlType != null ? s.xmlType : notification ? s.notificationType : s.type);
        doc.appendChild(root);
        add(root, "Subject", "*Eingangsbestätigung* " + s.subject);
        add(root, "Text", s.text);
        Element metadata = add(root, "Metadata", null);
        s.metadata.forEach((name, value) -> {
            Element m = add(metadata, "Metadate", null);
            add(m, "Name", name);
            add(m, "Value", value);
            add(m, "OriginalHeader", name + ": " + value);
        });
        add(root, "Hash", s.hash);
        add(root, "Time", s.time);
        if (s.deliveryTime != null) {
            add(root, "DeliveryTime", s.deliveryTime);
        }
        add(root, "Sender", system);
        new XmlSigner(s.xmlKey != null ? s.xmlKey : key, policy).signEnveloped(doc);
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        SecureXml.standard().serialize(doc, xml);

        String boundary = "----=_demail_test";
        String name = notification ? "notification" : "confirmation";
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(system).append("\r\n")
                .append("To: ").append(s.mailbox).append("\r\n")
                .append("Subject: =?UTF-8?B?").append(Base64.getEncoder().encodeToString(
                        ("*Eingangsbestätigung* " + s.subject).getBytes(StandardCharsets.UTF_8))).append("?=\r\n")
                .append("Date: ").append(s.date).append("\r\n")
                .append("Message-ID: <c-").append(System.nanoTime()).append("@").append(domain).append(">\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("X-de-mail-sender: ").append(system).append("\r\n")
                .append("X-de-mail-chosen-recipient: to=").append(s.mailbox).append("\r\n")
                .append("X-de-mail-private: no\r\n")
                .append("X-de-mail-originator-provider: ").append(domain).append("\r\n")
                .append("X-de-mail-message-type: ").append(s.type).append("\r\n");
        if (notification) {
            m.append("X-de-mail-notification-type: ").append(s.notificationType).append("\r\n");
        }
        m.append("X-de-mail-version: 1.7\r\n");
        if (s.privateIdHeader != null) {
            m.append("X-de-mail-private-id: ").append(s.privateIdHeader).append("\r\n");
        }
        m.append("X-de-mail-message-id: <n-").append(System.nanoTime()).append("@").append(domain).append(">\r\n")
                .append("X-de-mail-actual-recipient: to=").append(s.mailbox).append("\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n")
                .append("--").append(boundary).append("\r\n")
                .append("Content-Type: application/xml; name=\"").append(name).append(".xml\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n")
                .append("Content-Disposition: attachment; filename=").append(name).append(".xml\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString(xml.toByteArray())).append("\r\n")
                .append("--").append(boundary).append("\r\n")
                .append("Content-Type: application/pdf; name=\"").append(name).append(".pdf\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n")
                .append("Content-Disposition: attachment; filename=").append(name).append(".pdf\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString("%PDF-1.7\n% rendering\n%%EOF\n"
                        .getBytes(StandardCharsets.US_ASCII))).append("\r\n")
                .append("--").append(boundary).append("--\r\n");
        byte[] unsealed = m.toString().getBytes(StandardCharsets.ISO_8859_1);
        return seal(unsealed, s.signIntegrity ? DeMailIntegritySigner.signing(key, policy)
                : DeMailIntegritySigner.hashing(Algorithm.SHA256));
    }

    private static Element add(Element parent, String name, String text) {
        Element e = parent.getOwnerDocument().createElementNS(DeMailInbound.NS, "dm:" + name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    /** The unfolded value of the first header field of this name, or null. */
    static String value(String mail, String name) {
        String head = mail.substring(0, mail.indexOf("\r\n\r\n") + 2).replace("\r\n ", " ").replace("\r\n\t", " ");
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }
}
