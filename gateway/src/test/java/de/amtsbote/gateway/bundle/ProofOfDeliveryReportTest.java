package de.amtsbote.gateway.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.gateway.messages.DeliveryView;
import de.amtsbote.gateway.messages.MessageView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The PDF report on its own: long histories, characters the font lacks, text that must survive extraction. */
class ProofOfDeliveryReportTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:15:30.123456Z");

    @Test
    void aLongHistoryRunsOverNumberedPagesWithoutLosingAnEvent() throws IOException {
        List<DeliveryView> deliveries = new ArrayList<>();
        List<BundleEntry> entries = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            String delivery = "delivery-" + d;
            deliveries.add(new DeliveryView(delivery, "participant:empfänger-" + d, "loopback",
                    "loopback:postfach-" + d + "@loopback.example", "FAILED", 5, "gave up after 5 attempts", null,
                    T0, null));
            for (int a = 0; a < 5; a++) {
                entries.add(entry(delivery, "RelayFailure", T0.plusSeconds(d * 100L + a), "503 from the peer"));
            }
        }
        byte[] pdf = render(message("Mahnung für Grundsteuer", deliveries), entries);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            int pages = document.getNumberOfPages();
            assertThat(pages).isGreaterThan(5);
            String text = new PDFTextStripper().getText(document);
            for (BundleEntry e : entries) {
                assertThat(text).contains("RelayFailure (Weiterleitung fehlgeschlagen)  "
                        + ProofOfDeliveryReport.time(e.facts().time()));
            }
            assertThat(text).contains("participant:empfänger-11", "Seite / Page 1 / " + pages,
                    "Seite / Page " + pages + " / " + pages);
        }
    }

    @Test
    void charactersWithoutAGlyphBecomeQuestionMarksInsteadOfBreakingTheReport() throws IOException {
        byte[] pdf = render(message("Bescheid 測試 \uD83D\uDCEC über\tMaß", List.of()), List.of());

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(new PDFTextStripper().getText(document)).contains("Bescheid ?? ? über Maß");
        }
    }

    @Test
    void wrapsAValueTooLongForItsColumnInsteadOfCuttingIt() throws IOException {
        String reference = "AZ-" + "0123456789".repeat(12);
        MessageView m = message("Kurz", List.of());
        m = new MessageView(m.id(), m.sender(), m.subject(), reference, m.acceptedAt(), m.contentDigest(),
                m.totalBytes(), m.options(), m.attachments(), m.deliveries(), m.evidence());

        try (PDDocument document = Loader.loadPDF(render(m, List.of()))) {
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", "");
            assertThat(text).contains(reference);
        }
    }

    private static MessageView message(String subject, List<DeliveryView> deliveries) {
        return new MessageView("01a2107b-6869-7f7a-9200-567c132052b5", "stadt-bad-vilbel", subject, "AZ 1", T0,
                "95d90863f16764405e74dc3c3bdab7f12c769868c2470c1b953f63c972dc482c", 60, Set.of(),
                List.of(new MessageView.AttachmentItem("bescheid.pdf", "application/pdf", 17, "ab".repeat(32))),
                deliveries, List.of());
    }

    private static BundleEntry entry(String delivery, String event, Instant time, String reason) {
        EvidenceFacts facts = new EvidenceFacts(delivery + "-" + time.getEpochSecond(), event, time, delivery,
                "loopback", List.of("loopback:x@loopback.example"), "RETRYING", reason, "cd".repeat(32), null,
                null, null, "ef".repeat(32), "01".repeat(32));
        return new BundleEntry("evidence/" + facts.id() + ".xml", facts);
    }

    private static byte[] render(MessageView message, List<BundleEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProofOfDeliveryReport.render(message, entries, false, T0, out);
        return out.toByteArray();
    }
}
