package de.amtsbote.gateway.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A plain A4 text layout on PDFBox: headings, wrapped paragraphs and label–value lines, new pages as the text
 * needs them, and page numbers at the end. The font is the Liberation Sans that ships inside the PDFBox jar,
 * embedded as a subset, so umlauts render on any viewer and text extraction gives back what was written;
 * characters the font has no glyph for are shown as '?'.
 */
final class ReportLayout implements AutoCloseable {

    static final String FONT_RESOURCE = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private static final PDRectangle PAGE = PDRectangle.A4;
    private static final float MARGIN = 45;
    private static final float LABEL_WIDTH = 140;
    private static final float BODY = 8.5f;
    private static final float LEADING = 1.35f;

    private final PDDocument document = new PDDocument();
    private final PDFont font;
    private final Map<Integer, Boolean> glyphs = new HashMap<>();
    private final List<PDPage> pages = new ArrayList<>();
    private PDPageContentStream stream;
    private float y;

    ReportLayout(String title) throws IOException {
        try (InputStream ttf = ReportLayout.class.getResourceAsStream(FONT_RESOURCE)) {
            if (ttf == null) {
                throw new IllegalStateException("the PDF font " + FONT_RESOURCE + " is not on the class path"
                        + " (it ships inside the pdfbox jar)");
            }
            font = PDType0Font.load(document, ttf, true);
        }
        document.getDocumentInformation().setTitle(title);
        document.getDocumentInformation().setCreator("Amtsbote gateway");
        newPage();
    }

    void title(String text) throws IOException {
        paragraph(text, 16, 0);
        space(6);
    }

    void heading(String text) throws IOException {
        space(8);
        needs(BODY * LEADING * 4); // a heading does not stand alone at the foot of a page
        paragraph(text, 12, 0);
        space(2);
    }

    void subheading(String text) throws IOException {
        space(4);
        needs(BODY * LEADING * 3);
        paragraph(text, 10.5f, 0);
    }

    void text(String text) throws IOException {
        paragraph(text, BODY, 0);
    }

    void indented(String text) throws IOException {
        paragraph(text, BODY, 16);
    }

    /** A label in the left column, the value wrapped in the right one. */
    void field(String label, String value) throws IOException {
        float width = PAGE.getWidth() - 2 * MARGIN - LABEL_WIDTH;
        List<String> lines = wrap(value == null || value.isBlank() ? "–" : value, BODY, width);
        for (int i = 0; i < lines.size(); i++) {
            line();
            if (i == 0) {
                show(label, BODY, MARGIN, y);
            }
            show(lines.get(i), BODY, MARGIN + LABEL_WIDTH, y);
        }
    }

    void space(float points) {
        y -= points;
    }

    /** Numbers the pages and writes the document; {@code out} is left open. */
    void save(OutputStream out, String footer) throws IOException {
        stream.close();
        stream = null;
        for (int i = 0; i < pages.size(); i++) {
            try (PDPageContentStream s = new PDPageContentStream(document, pages.get(i),
                    PDPageContentStream.AppendMode.APPEND, true, true)) {
                String text = printable(footer + "  ·  Seite / Page " + (i + 1) + " / " + pages.size());
                s.beginText();
                s.setFont(font, 8);
                s.newLineAtOffset(MARGIN, MARGIN / 2);
                s.showText(text);
                s.endText();
            }
        }
        document.save(new NonClosingOutputStream(out));
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
        document.close();
    }

    private void paragraph(String text, float size, float indent) throws IOException {
        for (String l : wrap(text, size, PAGE.getWidth() - 2 * MARGIN - indent)) {
            y -= size * LEADING;
            if (y < MARGIN) {
                newPage();
                y -= size * LEADING;
            }
            show(l, size, MARGIN + indent, y);
        }
    }

    private void line() throws IOException {
        y -= BODY * LEADING;
        if (y < MARGIN) {
            newPage();
            y -= BODY * LEADING;
        }
    }

    private void needs(float points) throws IOException {
        if (y - points < MARGIN) {
            newPage();
        }
    }

    private void show(String text, float size, float x, float atY) throws IOException {
        stream.beginText();
        stream.setFont(font, size);
        stream.newLineAtOffset(x, atY);
        stream.showText(text);
        stream.endText();
    }

    private void newPage() throws IOException {
        if (stream != null) {
            stream.close();
        }
        PDPage page = new PDPage(PAGE);
        document.addPage(page);
        pages.add(page);
        stream = new PDPageContentStream(document, page);
        y = PAGE.getHeight() - MARGIN;
    }

    /** Splits into lines no wider than {@code width}: at spaces where possible, inside long words where not. */
    private List<String> wrap(String text, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String paragraph : printable(text).split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (width(candidate, size) <= width) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                String rest = word;
                while (width(rest, size) > width) {
                    int cut = rest.length() - 1;
                    while (cut > 1 && width(rest.substring(0, cut), size) > width) {
                        cut--;
                    }
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private float width(String text, float size) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }

    /** Tabs and other controls become spaces, characters without a glyph '?', so that showText never fails. */
    private String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.replace("\r\n", "\n").codePoints().forEach(cp -> {
            if (cp == '\n') {
                b.append('\n');
            } else if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
                b.append(' ');
            } else if (hasGlyph(cp)) {
                b.appendCodePoint(cp);
            } else {
                b.append('?');
            }
        });
        return b.toString();
    }

    private boolean hasGlyph(int codePoint) {
        return glyphs.computeIfAbsent(codePoint, cp -> {
            try {
                font.encode(new String(Character.toChars(cp)));
                return true;
            } catch (IllegalArgumentException | IOException e) {
                return false; // no glyph: shown as '?', which is why this is not an error
            }
        });
    }

    /** PDFBox closes the stream it saves to; the bundle's zip stream must stay open for the next entry. */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
