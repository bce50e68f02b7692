package de.amtsbote.adapter.smime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.subethamail.smtp.client.SMTPException;
import org.subethamail.smtp.client.SmartClient;

/** Mails as partners' systems make them: MIME entities, signed and encrypted with the real {@code openssl cms}. */
final class TestMails {

    static final String BODY = "Sehr geehrte Damen und Herren,\r\nbitte finden Sie den Antrag anbei.\r\nMit freundlichen Grüßen\r\n";
    static final byte[] ATTACHMENT = "%PDF-1.7 Antrag auf Akteneinsicht\n".repeat(50)
            .getBytes(StandardCharsets.US_ASCII);

    private TestMails() {
    }

    /** A multipart/mixed entity: a text body and one PDF attachment with an RFC 2231 file name. */
    static byte[] entity(String encodedFileName) {
        String b = "b0undary42";
        String base64 = java.util.Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ATTACHMENT);
        return ("Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n"
                + "--" + b + "\r\n"
                + "Content-Type: text/plain; charset=ISO-8859-1\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + BODY.replace("ü", "=FC").replace("ß", "=DF")
                + "\r\n--" + b + "\r\n"
                + "Content-Type: application/pdf\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename*=UTF-8''" + encodedFileName + "\r\n\r\n"
                + base64 + "\r\n"
                + "--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] entity() {
        return entity("Antrag%20Akteneinsicht%20M%C3%BCller.pdf");
    }

    /** {@code openssl cms -sign} (clear-signed multipart/signed) of the entity by the partner. */
    static Path signed(Path dir, TestWorld.Partner signer, byte[] entity, String... extra) throws Exception {
        Path in = Files.createTempFile(dir, "entity", ".txt");
        Files.write(in, entity);
        Path out = Files.createTempFile(dir, "signed", ".eml");
        List<String> args = new ArrayList<>(List.of("cms", "-sign", "-in", in.toString(), "-signer",
                signer.certPem().toString(), "-inkey", signer.keyPem().toString(), "-out", out.toString()));
        args.addAll(List.of(extra));
        OpenSsl.ok(dir, args.toArray(String[]::new));
        return out;
    }

    /** {@code openssl cms -encrypt} with AES-256-GCM and RSA-OAEP (or ECDH with a SHA-256 KDF) for the certificate. */
    static Path encrypted(Path dir, Path in, Path recipientPem, boolean rsa) throws Exception {
        Path out = Files.createTempFile(dir, "encrypted", ".eml");
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-aes-256-gcm", "-in", in.toString(),
                "-out", out.toString(), "-recip", recipientPem.toString()));
        args.addAll(rsa ? List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256")
                : List.of("-keyopt", "ecdh_kdf_md:sha256"));
        OpenSsl.ok(dir, args.toArray(String[]::new));
        return out;
    }

    /** Mail headers, then the S/MIME entity OpenSSL wrote (its LF line ends made CRLF, as SMTP carries them). */
    static byte[] mail(String from, String to, String subjectHeader, String messageId, Path smime) throws IOException {
        return mail(from, to, subjectHeader, messageId, Files.readAllBytes(smime), "");
    }

    static byte[] mail(String from, String to, String subjectHeader, String messageId, byte[] entity,
                       String extraHeaders) {
        String body = new String(entity, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        if (body.startsWith("MIME-Version: 1.0\r\n")) {
            body = body.substring("MIME-Version: 1.0\r\n".length());
        }
        String head = "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + subjectHeader + "\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
                + (messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
                + extraHeaders
                + "MIME-Version: 1.0\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Sends raw bytes over SMTP; returns the server's final reply code (250, 451, 550, 552...). */
    static int send(int port, String from, String to, byte[] mail) throws IOException {
        SmartClient client = SmartClient.createAndConnect("127.0.0.1", port, Optional.empty(), "partner.example",
                Optional.empty(), Optional.empty());
        try {
            client.from(from);
            client.to(to);
            client.dataStart();
            client.dataWrite(mail);
            client.dataEnd();
            return 250;
        } catch (SMTPException e) {
            return e.getResponse().getCode();
        } finally {
            client.quit();
        }
    }
}
