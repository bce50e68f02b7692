package de.amtsbote.gateway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Generated;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /api/v1/messages over real HTTP: what is accepted, and every way a submission is refused. */
class SubmissionApiTest extends RunningGateway {

    private static final String PDF = "application/pdf";

    static String envelope(String sender, String recipient) {
        return """
                {"sender": "%s", "recipients": ["%s"], "subject": "Bescheid über die Hundesteuer 2026",
                 "body": "Sehr geehrte Damen und Herren,\\nanbei der Bescheid.", "reference": "AZ 2026-0815",
                 "options": {"sign": false, "encrypt": false, "receipts": ["delivery"]}}
                """.formatted(sender, recipient);
    }

    static Multipart message(String recipient, byte[] attachment) {
        return new Multipart().envelope(envelope("stadt-bad-vilbel", recipient))
                .attachment("Bescheid Müller.pdf", PDF, attachment);
    }

    @Test
    void acceptsAMessageWith202ALocationAndOneDeliveryPerRecipient() {
        byte[] pdf = "%PDF-1.7 Bescheid".getBytes(StandardCharsets.US_ASCII);
        Response r = badVilbel().submit(new Multipart()
                .envelope("""
                        {"sender": "stadt-bad-vilbel",
                         "recipients": ["participant:kreis-bergstrasse", "loopback:buergerbuero@loopback.example"],
                         "subject": "Anhörung", "options": {"sign": false, "encrypt": false}}
                        """)
                .attachment("Bescheid Müller.pdf", PDF, pdf));

        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        JsonNode m = r.json();
        assertThat(r.location()).isEqualTo("/api/v1/messages/" + m.get("id").asString());
        assertThat(m.get("sender").asString()).isEqualTo("stadt-bad-vilbel");
        assertThat(m.get("attachments").get(0).get("fileName").asString()).isEqualTo("Bescheid Müller.pdf");
        assertThat(m.get("attachments").get(0).get("sha256").asString()).isEqualTo(ContentDigester.hexOf(pdf));
        assertThat(m.get("deliveries")).hasSize(2);
        // the partner prefers S/MIME, which is not active here: routing falls back to its loopback address
        assertThat(m.get("deliveries").get(0).get("address").asString()).isEqualTo("loopback:poststelle@loopback.example");
        assertThat(m.get("evidence").get(0).get("event").asString()).isEqualTo("SubmissionAcceptance");
    }

    @Test
    void answersTheSameSubmissionAgainWith200AndTheSameMessage() {
        String key = UUID.randomUUID().toString();
        byte[] pdf = random(5000);
        Response first = badVilbel().submit(message("participant:kreis-bergstrasse", pdf), key);
        Map<String, Long> before = stored();

        Response again = badVilbel().submit(message("participant:kreis-bergstrasse", pdf), key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void treatsReformattedJsonWithTheSameContentAsTheSameSubmission() {
        String key = UUID.randomUUID().toString();
        byte[] pdf = random(100);
        Response first = badVilbel().submit(message("participant:kreis-bergstrasse", pdf), key);
        String reordered = """
                {"options": {"receipts": ["delivery"], "encrypt": false, "sign": false},
                 "reference": "AZ 2026-0815", "subject": "Bescheid über die Hundesteuer 2026",
                 "body": "Sehr geehrte Damen und Herren,\\nanbei der Bescheid.",
                 "recipients": ["participant:kreis-bergstrasse"], "sender": "stadt-bad-vilbel"}""";

        Response again = badVilbel().submit(new Multipart().envelope(reordered)
                .attachment("Bescheid Müller.pdf", PDF, pdf), key);

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
    }

    @Test
    void refusesTheSameKeyWithOtherContentWith409() {
        String key = UUID.randomUUID().toString();
        Response first = badVilbel().submit(message("participant:kreis-bergstrasse", random(100)), key);
        Map<String, Long> before = stored();

        Response other = badVilbel().submit(message("participant:kreis-bergstrasse", random(101)), key);

        assertProblem(other, 409, "idempotency-key-reused");
        assertThat(other.json().get("messageId").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void aRepeatedKeyIsJudgedAgainstWhatWasAcceptedBeforeRoutingIsConsulted() {
        String key = UUID.randomUUID().toString();
        badVilbel().submit(message("participant:kreis-bergstrasse", random(10)), key);

        Response r = badVilbel().submit(message("participant:stadt-nirgendwo", random(10)), key);

        assertProblem(r, 409, "idempotency-key-reused");
    }

    @Test
    void sameKeyFromAnotherClientSystemIsAnotherSubmission() {
        String key = UUID.randomUUID().toString();
        Response mine = badVilbel().submit(message("participant:kreis-bergstrasse", random(10)), key);
        Response theirs = client(VIERNHEIM_TOKEN).submit(new Multipart()
                .envelope(envelope("stadt-viernheim", "participant:kreis-bergstrasse")), key);

        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(202);
        assertThat(theirs.json().get("id").asString()).isNotEqualTo(mine.json().get("id").asString());
    }

    @Test
    void refusesASubmissionWithoutIdempotencyKey() {
        refusedWithoutTrace(() -> badVilbel().submit(message("participant:kreis-bergstrasse", random(10)), null),
                400, "idempotency-key-missing");
    }

    @Test
    void refusesARequestWithoutTheEnvelopePart() {
        Multipart onlyAttachment = new Multipart().attachment("a.pdf", PDF, random(10));
        refusedWithoutTrace(() -> badVilbel().submit(onlyAttachment), 400, "malformed-request", "first part must be 'envelope'");
    }

    @Test
    void refusesAnEnvelopeThatIsNotJson() {
        refusedWithoutTrace(() -> badVilbel().submit(new Multipart().envelope("{\"sender\": ")), 400,
                "invalid-envelope", "not valid JSON");
    }

    @Test
    void namesEveryInvalidEnvelopeFieldAtOnce() {
        Response r = refusedWithoutTrace(() -> badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipents": ["participant:kreis-bergstrasse"],
                 "subject": "Zeile 1\\r\\nBcc: alle@example.org", "options": {"receipts": ["sometimes"]}}""")),
                400, "invalid-envelope");

        assertThat(r.json().get("errors").toString())
                .contains("recipents", "is not a known field")
                .contains("\"recipients\"", "is required")
                .contains("subject", "control character")
                .contains("options.receipts[0]");
    }

    @Test
    void refusesALineBreakInTheReferenceBecauseItWouldBecomeAHeader() {
        Response r = refusedWithoutTrace(() -> badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["participant:kreis-bergstrasse"],
                 "subject": "Bescheid", "reference": "AZ 1\\r\\nBcc: alle@example.org"}""")),
                400, "invalid-envelope");
        assertThat(r.json().get("errors").toString()).contains("reference", "control character");
    }

    @Test
    void refusesALineBreakSmuggledIntoAnAttachmentFileNameAndKeepsNothingOfIt() {
        Multipart m = new Multipart().envelope(envelope("stadt-bad-vilbel", "participant:kreis-bergstrasse"))
                .attachment("a.pdf\"; filename*=UTF-8''evil%0D%0ABcc%3A%20alle%40example.org.pdf; x=\"", PDF,
                        random(10));
        Response r = refusedWithoutTrace(() -> badVilbel().submit(m), 400, "malformed-request");
        assertThat(r.json().get("detail").asString()).contains("control");
    }

    @Test
    void refusesAnAttachmentPartWithoutFileNameAndKeepsNothingOfIt() {
        Multipart m = new Multipart().envelope(envelope("stadt-bad-vilbel", "participant:kreis-bergstrasse"))
                .attachment("first.pdf", PDF, random(3000))
                .part("attachment", null, PDF, random(10));
        refusedWithoutTrace(() -> badVilbel().submit(m), 400, "malformed-request", "has no filename");
    }

    @Test
    void refusesAPartWithAnUnexpectedName() {
        Multipart m = new Multipart().envelope(envelope("stadt-bad-vilbel", "participant:kreis-bergstrasse"))
                .part("file", "x.pdf", PDF, random(10));
        refusedWithoutTrace(() -> badVilbel().submit(m), 400, "malformed-request", "named 'file'");
    }

    @Test
    void refusesATruncatedMultipartBody() {
        Multipart m = message("participant:kreis-bergstrasse", random(5000));
        byte[] whole = readAll(m.stream());
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 200);
        Map<String, Long> before = stored();
        Response r = badVilbel().send(badVilbel().request("/api/v1/messages")
                .header("Content-Type", m.contentType()).header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(cut)).build());
        assertProblem(r, 400, "malformed-request");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void refusesAJsonBodyAsUnsupportedMediaType() {
        refusedWithoutTrace(() -> badVilbel().send(badVilbel().request("/api/v1/messages")
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(envelope("stadt-bad-vilbel", "participant:kreis-bergstrasse")))
                .build()), 415, "unsupported-media-type");
    }

    @Test
    void refusesAnUnknownParticipantAsUnreachableAndNamesIt() {
        Response r = refusedWithoutTrace(() -> badVilbel().submit(message("participant:stadt-nirgendwo", random(10))),
                422, "recipient-unreachable", "participant:stadt-nirgendwo");
        assertThat(r.json().get("recipient").asString()).isEqualTo("participant:stadt-nirgendwo");
    }

    @Test
    void refusesAParticipantWithoutAnyChannelAddress() {
        refusedWithoutTrace(() -> badVilbel().submit(message("participant:ohne-kanal", random(10))), 422,
                "recipient-unreachable", "no channel address");
    }

    @Test
    void refusesAnAddressOnAChannelThatIsNotActive() {
        refusedWithoutTrace(() -> badVilbel().submit(message("demail:poststelle@kreis.de-mail.de", random(10))), 422,
                "recipient-unreachable", "channel 'demail' is not active");
    }

    @Test
    void refusesAnAddressTheChannelRejects() {
        refusedWithoutTrace(() -> badVilbel().submit(message("loopback:poststelle@elsewhere.example", random(10))),
                422, "recipient-unreachable", "loopback address 'poststelle@elsewhere.example' is not valid");
    }

    @Test
    void refusesEncryptionOnAChannelThatCannotEncrypt() {
        refusedWithoutTrace(() -> badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["loopback:poststelle@loopback.example"], "subject": "x"}""")),
                422, "option-not-supported", "ENCRYPT");
    }

    @Test
    void refusesEveryRequestWithoutToken() {
        refusedWithoutTrace(() -> client(null).submit(message("participant:kreis-bergstrasse", random(10))), 401,
                "unauthenticated");
    }

    @Test
    void refusesAWrongToken() {
        refusedWithoutTrace(() -> client("not-a-token").submit(message("participant:kreis-bergstrasse", random(10))),
                401, "unauthenticated", "not valid");
    }

    @Test
    void refusesASenderTheTokenMayNotSendAs() {
        refusedWithoutTrace(() -> client(VIERNHEIM_TOKEN).submit(message("participant:kreis-bergstrasse", random(10))),
                403, "forbidden", "'stadt-bad-vilbel'");
    }

    @Test
    void refusesAMessageDeclaredLargerThanTheLimitBeforeItsBodyIsSent() throws Exception {
        Map<String, Long> before = stored();
        // A client that asks "Expect: 100-continue" hears the refusal without sending its 64 MiB. Spoken over a raw
        // socket, because it is exactly the body that is never sent.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String head = "POST /api/v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + BAD_VILBEL_TOKEN + "\r\n"
                    + "Idempotency-Key: " + UUID.randomUUID() + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\n"
                    + "Content-Length: " + (64L << 20) + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue")
                    .contains("application/problem+json", "urn:amtsbote:problem:message-too-large");
        }
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void refusesAMessageThatGrowsBeyondTheLimitWhileStreamingAndKeepsNothing() {
        int size = 1536 * 1024;
        Multipart m = new Multipart().envelope(envelope("stadt-bad-vilbel", "participant:kreis-bergstrasse"))
                .part("attachment", "a.bin", "application/octet-stream", size, zeros(size))
                .part("attachment", "b.bin", "application/octet-stream", size, zeros(size));
        Response r = refusedWithoutTrace(() -> badVilbel().submit(m), 413, "message-too-large");
        assertThat(r.json().get("limit").asLong()).isEqualTo(2L * 1024 * 1024);
    }

    /** Sends the request, expects the problem, and checks that nothing of the request was stored. */
    private Response refusedWithoutTrace(Supplier<Response> request, int status, String type, String... detail) {
        Map<String, Long> before = stored();
        Response r = request.get();
        assertProblem(r, status, type, detail);
        assertThat(stored()).as("nothing stored after a %d", status).isEqualTo(before);
        return r;
    }

    static void assertProblem(Response r, int status, String type, String... detail) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("type").asString()).isEqualTo("urn:amtsbote:problem:" + type);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asString()).isNotBlank();
        if (detail.length > 0) {
            assertThat(p.get("detail").asString()).contains(detail);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random().nextBytes(b);
        return b;
    }

    private static Supplier<InputStream> zeros(int n) {
        return () -> Generated.zeros(n);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
