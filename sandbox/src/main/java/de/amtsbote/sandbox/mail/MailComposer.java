package de.amtsbote.sandbox.mail;

import static de.amtsbote.sandbox.mail.MimeText.CRLF;
import static de.amtsbote.sandbox.mail.MimeText.ascii;
import static de.amtsbote.sandbox.mail.MimeText.header;

import de.amtsbote.crypto.cms.CmsEncryptor;
import de.amtsbote.crypto.cms.CmsSigner;
import de.amtsbote.crypto.cms.SentSignature;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.smime.SmimeSigningStream;
import de.amtsbote.crypto.smime.SmimeWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes a peer's mail to a gateway participant: outer headers, then sign-then-encrypt (application/pkcs7-mime around
 * multipart/signed around multipart/mixed), or whichever of the layers the mail asks for. Attachments are streamed
 * from their files through base64, the signature and the encryption into the output, never held whole.
 */
final class MailComposer {

    /** What was written: the signature (for ESS receipt checking) and the attachments as sent. */
    record Composed(SentSignature signature, List<MailLogEntry.Attachment> attachments) {
    }

    private MailComposer() {
    }

    /**
     * Writes the mail to {@code out} and closes it.
     *
     * @param signer    null if the mail is not signed
     * @param encryptor null if the mail is not encrypted
     */
    static Composed write(OutputStream out, MailPeerConfig me, OutgoingMail mail, String messageId, Instant now,
                          CmsSigner signer, CmsEncryptor encryptor) throws IOException {
        ascii(out, header("From", MimeText.mailbox(me.address(), me.name()))
                + header("To", "<" + mail.to() + ">")
                + header("Subject", MimeText.encoded(mail.subject()))
                + header("Date", MimeText.date(now))
                + header("Message-ID", messageId)
                + header("MIME-Version", "1.0")
                + (mail.reference() == null ? "" : header("X-Amtsbote-Reference", MimeText.encoded(mail.reference())))
                + (mail.requestMdn() ? header("Disposition-Notification-To", "<" + me.address() + ">") : ""));
        OutputStream content = encryptor == null ? out : SmimeWriter.encrypted(out, encryptor);
        SmimeSigningStream signing = signer == null ? null : SmimeWriter.multipartSigned(content, signer);
        List<MailLogEntry.Attachment> attachments;
        try (OutputStream mixed = signing != null ? signing : content) {
            attachments = writeMixed(mixed, mail);
        }
        return new Composed(signing == null ? null : signing.sentSignature(), attachments);
    }

    /** The multipart/mixed entity: the text body, then each attachment base64 with an RFC 2231 file name. */
    private static List<MailLogEntry.Attachment> writeMixed(OutputStream out, OutgoingMail mail) throws IOException {
        String boundary = MimeText.boundary("Mixed");
        ascii(out, "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"" + CRLF + CRLF
                + "--" + boundary + CRLF
                + "Content-Type: text/plain; charset=UTF-8" + CRLF
                + "Content-Transfer-Encoding: quoted-printable" + CRLF + CRLF);
        MimeText.quotedPrintable(out, mail.body());
        List<MailLogEntry.Attachment> sent = new ArrayList<>();
        for (Path file : mail.attachments()) {
            String name = file.getFileName().toString();
            String type = contentType(file);
            ascii(out, CRLF + "--" + boundary + CRLF
                    + "Content-Type: " + type + CRLF
                    + "Content-Transfer-Encoding: base64" + CRLF
                    + header("Content-Disposition", "attachment; " + MimeText.rfc2231("filename", name))
                    + CRLF);
            ContentDigester digester = new ContentDigester();
            OutputStream base64 = Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII))
                    .wrap(new MimeText.NonClosing(out));
            try (InputStream in = digester.watch(Files.newInputStream(file)); base64) {
                in.transferTo(base64);
            }
            if (digester.bytes() > 0) {
                ascii(out, CRLF);
            }
            sent.add(new MailLogEntry.Attachment(name, type, digester.bytes(), digester.hex()));
        }
        ascii(out, CRLF + "--" + boundary + "--" + CRLF);
        return sent;
    }

    private static String contentType(Path file) {
        String type = null;
        try {
            type = Files.probeContentType(file);
        } catch (IOException e) {
            // unknown: sent as octets, which every recipient accepts
        }
        return type != null && type.matches("[a-z0-9.+-]+/[a-z0-9.+-]+") ? type : "application/octet-stream";
    }
}
