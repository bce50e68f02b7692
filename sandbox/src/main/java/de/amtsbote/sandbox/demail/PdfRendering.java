package de.amtsbote.sandbox.demail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The PDF rendering of a confirmation or notification (TR 01201-3.4 §3.4.1: XML and PDF of the same content). Text
 * only, Helvetica with WinAnsiEncoding, which covers the German umlauts and ß; a character outside it is shown as
 * '?' rather than failing the confirmation.
 */
final class PdfRendering {

    private static final float MARGIN = 50;
    private static final float SIZE = 10;
    private static final float LEADING = 13;
    private static final int WRAP = 95;

    private PdfRendering() {
    }

    /** A titled document of labelled lines (label, value); values are wrapped. */
    static byte[] render(String title, List<String[]> lines) throws IOException {
        PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle(encodable(regular, title));
            info.setProducer("Amtsbote sandbox De-Mail provider");
            doc.setDocumentInformation(info);
            Writer w = new Writer(doc, regular);
            w.line(bold, 14, title);
            w.gap();
            for (String[] l : lines) {
                w.line(bold, SIZE, l[0]);
                for (String part : wrap(l[1] == null ? "" : l[1])) {
                    w.line(regular, SIZE, "    " + part);
                }
            }
            w.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Writes lines top-down, starting a new page when one is full. */
    private static final class Writer {
        private final PDDocument doc;
        private final PDType1Font font;
        private PDPageContentStream stream;
        private float y;

        Writer(PDDocument doc, PDType1Font font) throws IOException {
            this.doc = doc;
            this.font = font;
            newPage();
        }

        private void newPage() throws IOException {
            if (stream != null) {
                stream.endText();
                stream.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            stream = new PDPageContentStream(doc, page);
            stream.beginText();
            y = PDRectangle.A4.getHeight() - MARGIN;
            stream.newLineAtOffset(MARGIN, y);
        }

        void line(PDType1Font f, float size, String text) throws IOException {
            if (y < MARGIN + LEADING) {
                newPage();
            }
            stream.setFont(f, size);
            stream.showText(encodable(f, text));
            stream.newLineAtOffset(0, -LEADING);
            y -= LEADING;
        }

        void gap() throws IOException {
            stream.newLineAtOffset(0, -LEADING / 2);
            y -= LEADING / 2;
        }

        void close() throws IOException {
            stream.endText();
            stream.close();
        }
    }

    private static String encodable(PDType1Font font, String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            String s = new String(Character.toChars(c < 0x20 ? ' ' : c));
            try {
                font.encode(s);
                b.append(s);
            } catch (IOException | IllegalArgumentException e) {
                b.append('?');
            }
        });
        return b.toString();
    }

    private static List<String> wrap(String text) {
        List<String> out = new ArrayList<>();
        for (String para : text.split("\r?\n")) {
            String rest = para;
            while (rest.length() > WRAP) {
                int cut = rest.lastIndexOf(' ', WRAP);
                if (cut <= 0) {
                    cut = WRAP;
                }
                out.add(rest.substring(0, cut));
                rest = rest.substring(cut).stripLeading();
            }
            out.add(rest);
        }
        return out;
    }
}
