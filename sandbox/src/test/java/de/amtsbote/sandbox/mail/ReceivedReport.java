package de.amtsbote.sandbox.mail;

import de.amtsbote.crypto.cms.CmsOpener;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.smime.SmimeOpener;
import de.amtsbote.crypto.smime.SmimeResult;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Properties;

/**
 * An MDN as the gateway would read it, parsed independently of the peer's code: the outer mail, the S/MIME check (by
 * the crypto module's reader), and the three parts of the multipart/report.
 *
 * @param outer       the mail as it arrived
 * @param smime       the S/MIME result, or null if the MDN was not signed
 * @param reportType  the Content-Type of the multipart/report
 * @param text        the human-readable part, decoded
 * @param fields      the message/disposition-notification fields
 * @param headers     the text/rfc822-headers part
 */
record ReceivedReport(MimeMessage outer, SmimeResult smime, String reportType, String text, InternetHeaders fields,
                      InternetHeaders headers) {

    private static final Session SESSION = Session.getInstance(new Properties());

    static ReceivedReport parse(byte[] mail, X509Certificate anchor) throws Exception {
        MimeMessage outer = new MimeMessage(SESSION, new ByteArrayInputStream(mail));
        SmimeResult smime = null;
        MimeMessage report = outer;
        if (outer.isMimeType("multipart/signed")) {
            SmimeOpener opener = new SmimeOpener(CmsOpener.builder(AlgorithmPolicy.bsi(), PkixCertificateValidator
                    .builder().trustAnchor(anchor).revocation(RevocationSources.NONE).build()).build());
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            smime = opener.open(new ByteArrayInputStream(mail), inner);
            report = new MimeMessage(SESSION, new ByteArrayInputStream(inner.toByteArray()));
        }
        MimeMultipart parts = (MimeMultipart) report.getContent();
        if (parts.getCount() != 3) {
            throw new AssertionError("an MDN from the peers has three parts, this one " + parts.getCount());
        }
        String text = (String) parts.getBodyPart(0).getContent();
        return new ReceivedReport(outer, smime, report.getContentType(), text, headers(parts.getBodyPart(1)),
                headers(parts.getBodyPart(2)));
    }

    private static InternetHeaders headers(BodyPart part) throws Exception {
        if (!part.isMimeType("message/disposition-notification") && !part.isMimeType("text/rfc822-headers")) {
            throw new AssertionError("unexpected part " + part.getContentType());
        }
        try (InputStream in = part.getInputStream()) {
            return new InternetHeaders(in);
        }
    }

    String field(String name) {
        return fields.getHeader(name, null);
    }

    String header(String name) throws Exception {
        return outer.getHeader(name, null);
    }

    boolean signed() {
        return smime != null;
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
