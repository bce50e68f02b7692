package de.amtsbote.gateway.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.testing.ApiClient;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.MessagesApi;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evidence bundle of a message that went the whole way on the loopback channel (submitted, delivered, retrieved
 * by the recipient), fetched through the API and taken apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceBundleTest extends RunningGateway {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SUBJECT = "Änderungsbescheid über die Hundesteuer – Größe, Maß, Straße";
    private static final byte[] PDF_ATTACHMENT = "%PDF-1.7 Bescheid".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CSV_ATTACHMENT = "Straße;Hausnummer\nHauptstraße;1\n".getBytes(StandardCharsets.UTF_8);

    private String id;
    private Map<String, byte[]> bundle;
    private JsonNode message;

    @BeforeAll
    void sendAndRetrieveAMessage() throws IOException {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["loopback:buergerbuero@loopback.example"],
                 "subject": "%s", "body": "Guten Tag", "reference": "AZ 2026-0815 %s",
                 "options": {"sign": false, "encrypt": false, "receipts": ["retrieval"]}}
                """.formatted(SUBJECT, UUID.randomUUID()))
                .attachment("bescheid.pdf", "application/pdf", PDF_ATTACHMENT)
                .attachment("straßen.csv", "text/csv", CSV_ATTACHMENT));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        id = r.json().get("id").asString();
        MessagesApi api = new MessagesApi(badVilbel(), WAIT);
        String transportId = api.awaitState(id, "DELIVERED").get("transportReference").asString();
        PEER.read("buergerbuero", transportId);
        api.awaitState(id, "RETRIEVED");
        api.awaitEvent(id, "Retrieval");

        Response zip = badVilbel().get("/api/v1/messages/" + id + "/evidence-bundle");
        assertThat(zip.status()).as(zip.toString()).isEqualTo(200);
        assertThat(zip.contentType()).isEqualTo("application/zip");
        bundle = unzip(zip.body());
        message = badVilbel().get("/api/v1/messages/" + id).json();
    }

    @Test
    void holdsEveryEvidenceDocumentInChainOrderByteForByteAsTheApiServesIt() {
        List<String> files = bundle.keySet().stream().filter(f -> f.startsWith("evidence/")).toList();
        JsonNode evidence = message.get("evidence");
        assertThat(files).hasSize(evidence.size());
        assertThat(evidence.size()).isGreaterThanOrEqualTo(4);
        for (int i = 0; i < evidence.size(); i++) {
            String evidenceId = evidence.get(i).get("id").asString();
            String event = evidence.get(i).get("event").asString();
            assertThat(files.get(i)).isEqualTo("evidence/%02d-%s-%s.xml".formatted(i + 1, event, evidenceId));
            byte[] served = badVilbel().get("/api/v1/evidence/" + evidenceId).body();
            assertThat(bundle.get(files.get(i))).as(files.get(i)).isEqualTo(served);
        }
        assertThat(files.get(0)).contains("-SubmissionAcceptance-");
        assertThat(files.get(files.size() - 1)).contains("-Retrieval-");
    }

    @Test
    void listsTheContentDigestAndEachAttachmentAsStored() throws IOException {
        JsonNode digests = JsonMapper.builder().build().readTree(bundle.get("content-digests.json"));

        assertThat(digests.get("messageId").asString()).isEqualTo(id);
        assertThat(digests.get("contentDigest").asString()).isEqualTo(message.get("contentDigest").asString())
                .matches("[0-9a-f]{64}");
        assertThat(digests.get("attachments")).hasSize(2);
        JsonNode pdf = digests.get("attachments").get(0);
        assertThat(pdf.get("fileName").asString()).isEqualTo("bescheid.pdf");
        assertThat(pdf.get("size").asLong()).isEqualTo(PDF_ATTACHMENT.length);
        assertThat(pdf.get("sha256").asString()).isEqualTo(ContentDigester.hexOf(PDF_ATTACHMENT));
        JsonNode csv = digests.get("attachments").get(1);
        assertThat(csv.get("fileName").asString()).isEqualTo("straßen.csv");
        assertThat(csv.get("size").asLong()).isEqualTo(CSV_ATTACHMENT.length);
        assertThat(csv.get("sha256").asString()).isEqualTo(ContentDigester.hexOf(CSV_ATTACHMENT));
        for (JsonNode e : digests.get("evidence")) {
            assertThat(ContentDigester.hexOf(bundle.get(e.get("file").asString())))
                    .isEqualTo(e.get("sha256").asString());
        }
    }

    @Test
    void theReportNamesTheMessageTheRecipientAndEveryEventWithItsTime() throws IOException {
        String text = pdfText(bundle.get("zustellnachweis.pdf"));

        assertThat(text).contains("Zustellnachweis / Proof of delivery", id, SUBJECT, "stadt-bad-vilbel",
                "loopback:buergerbuero@loopback.example", "RETRIEVED", message.get("contentDigest").asString(),
                "straßen.csv", "verify-evidence", "UNAUTHENTICATED (application/json)");
        for (Map.Entry<String, byte[]> e : bundle.entrySet()) {
            if (e.getKey().startsWith("evidence/")) {
                String xml = new String(e.getValue(), StandardCharsets.UTF_8);
                assertThat(text).as(e.getKey()).contains(element(xml, "EventType") + " ",
                        element(xml, "EventTime"), ContentDigester.hexOf(e.getValue()), e.getKey());
            }
        }
    }

    @Test
    void explainsTheFilesAndSaysWhyTheCertificateChainIsMissingWithoutAKeyStore() {
        assertThat(bundle).containsKeys("README.txt", "content-digests.json", "zustellnachweis.pdf")
                .doesNotContainKey("certificates/evidence-chain.pem");
        String readme = new String(bundle.get("README.txt"), StandardCharsets.UTF_8);
        assertThat(readme).contains(id, "content-digests.json", "zustellnachweis.pdf",
                "./amtsbote verify-evidence evidence/*.xml --trust ca.pem", "xmlsec1",
                "Not included: this installation has no key store");
    }

    @Test
    void anotherClientSystemGetsNotFound() {
        ApiClient viernheim = client(VIERNHEIM_TOKEN);

        Response r = viernheim.get("/api/v1/messages/" + id + "/evidence-bundle");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text()).doesNotContain(SUBJECT);
    }

    @Test
    void anUnknownMessageIsNotFoundAndNoTokenIsUnauthenticated() {
        assertThat(badVilbel().get("/api/v1/messages/" + UUID.randomUUID() + "/evidence-bundle").status())
                .isEqualTo(404);
        assertThat(client(null).get("/api/v1/messages/" + id + "/evidence-bundle").status()).isEqualTo(401);
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(entries.put(e.getName(), in.readAllBytes())).as("duplicate " + e.getName()).isNull();
            }
        }
        return entries;
    }

    static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        assertThat(m.find()).as(name + " in " + xml).isTrue();
        return m.group(1);
    }
}
