package de.amtsbote.sandbox.mail;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.ReceiptRequest;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeSigningStream;
import de.amtsbote.crypto.smime.SmimeWriter;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * Mail as the gateway writes it, per the wire contract: outer headers, then sign-then-encrypt (authEnveloped-data
 * around multipart/signed around multipart/mixed), made with the crypto module's {@link SmimeWriter} and a gateway
 * participant's keys; and a way to hand it to an SMTP port exactly as written.
 */
final class GatewayMail {

    static final String BODY = "Sehr geehrte Damen und Herren,\r\nanbei erhalten Sie den Bescheid.\r\n";
    static final byte[] ATTACHMENT = "Bescheid über die Hundesteuer 2026\r\nFestgesetzt werden 90,00 EUR.\r\n"
            .getBytes(StandardCharsets.UTF_8);
    static final String ATTACHMENT_NAME = "Hundesteuerbescheid 2026.txt";

    private GatewayMail() {
    }

    /** The outer headers; {@code dnt} adds Disposition-Notification-To. */
    static String headers(String from, String to, String subject, String messageId, boolean dnt) {
        return MimeText.header("From", "<" + from + ">")
                + MimeText.header("To", "<" + to + ">")
                + MimeText.header("Subject", MimeText.encoded(subject))
                + MimeText.header("Date", "Mon, 4 May 2026 09:12:33 +0000")
                + MimeText.header("Message-ID", messageId)
                + MimeText.header("MIME-Version", "1.0")
                + MimeText.header("X-Amtsbote-Reference", "AZ 22-HST-4711")
                + (dnt ? MimeText.header("Disposition-Notification-To", "<" + from + ">") : "");
    }

    /** The multipart/mixed entity: text body and one attachment, canonical CRLF. */
    static byte[] mixed() {
        String b = "b-mixed-1";
        String entity = "Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n"
                + "--" + b + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + BODY
                + "\r\n--" + b + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; " + MimeText.rfc2231("filename", ATTACHMENT_NAME) + "\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(ATTACHMENT) + "\r\n"
                + "--" + b + "--\r\n";
        return entity.getBytes(StandardCharsets.UTF_8);
    }

    /** Sign-then-encrypt: the signature by {@code signer}, encrypted for {@code recipient}. */
    static byte[] signedAndEncrypted(String headers, PrivateKeyHandle signer, X509Certificate recipient,
                                     X509Certificate anchor, boolean essReceiptTo) throws Exception {
        return signedAndEncryptedKeepingSignature(headers, signer, recipient, anchor, essReceiptTo).mail();
    }

    /** A mail and the signature in it, which the sender keeps to check an ESS receipt. */
    record Signed(byte[] mail, SentSignature signature) {
    }

    static Signed signedAndEncryptedKeepingSignature(String headers, PrivateKeyHandle signer,
                                                     X509Certificate recipient, X509Certificate anchor,
                                                     boolean essReceiptTo) throws Exception {
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        CmsSigner s = CmsSigner.builder(signer, policy).build();
        if (essReceiptTo) {
            s = s.withReceiptRequest(ReceiptRequest.to(TestPki.PARTICIPANT));
        }
        CmsEncryptor e = CmsEncryptor.builder(policy, PkixCertificateValidator.builder().trustAnchor(anchor)
                .revocation(RevocationSources.NONE).build()).recipient(recipient).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        SmimeSigningStream signed = SmimeWriter.multipartSigned(SmimeWriter.encrypted(out, e), s);
        try (signed) {
            signed.write(mixed());
        }
        return new Signed(out.toByteArray(), signed.sentSignature());
    }

    /** Signed only (multipart/signed). */
    static byte[] signed(String headers, PrivateKeyHandle signer) throws Exception {
        CmsSigner s = CmsSigner.builder(signer, AlgorithmPolicy.bsi()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        try (OutputStream signed = SmimeWriter.multipartSigned(out, s)) {
            signed.write(mixed());
        }
        return out.toByteArray();
    }

    /**
     * Hands {@code message} to SMTP on 127.0.0.1:{@code port} exactly as it is (no re-encoding); a null
     * {@code envelopeFrom} is the null reverse-path of receipts.
     */
    static void send(int port, String envelopeFrom, String recipient, byte[] message) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.localhost", "test.localhost");
        Session session = Session.getInstance(p);
        SMTPMessage m = new SMTPMessage(session, new ByteArrayInputStream(message));
        m.setEnvelopeFrom(envelopeFrom == null ? "<>" : envelopeFrom);
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, new Address[] {new InternetAddress(recipient)});
        }
    }

    static String messageId() {
        return "<" + java.util.UUID.randomUUID() + "@amtsbote.example>";
    }
}
