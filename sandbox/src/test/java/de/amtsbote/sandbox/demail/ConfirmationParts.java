package de.amtsbote.sandbox.demail;

import de.amtsbote.crypto.xml.SecureXml;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Properties;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.w3c.dom.Document;

/** The XML and PDF parts of a confirmation or notification mail. */
record ConfirmationParts(byte[] xml, String pdfText, String xmlContentType, String pdfContentType) {

    static ConfirmationParts of(DeMailMessage message) throws Exception {
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message.raw()));
        Multipart mixed = (Multipart) mime.getContent();
        if (mixed.getCount() != 2) {
            throw new AssertionError("a confirmation has exactly two parts, not " + mixed.getCount());
        }
        Part xml = mixed.getBodyPart(0);
        Part pdf = mixed.getBodyPart(1);
        byte[] xmlBytes;
        try (InputStream in = xml.getInputStream()) {
            xmlBytes = in.readAllBytes();
        }
        String text;
        try (InputStream in = pdf.getInputStream(); PDDocument doc = Loader.loadPDF(in.readAllBytes())) {
            // lines are wrapped in the rendering: compare text with single spaces
            text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        }
        return new ConfirmationParts(xmlBytes, text, xml.getContentType(), pdf.getContentType());
    }

    Document document() throws Exception {
        return SecureXml.standard().parse(new ByteArrayInputStream(xml));
    }
}
