package de.amtsbote.gateway.evidence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.evidence.EvidenceChain;
import de.amtsbote.crypto.evidence.EvidenceException;
import de.amtsbote.crypto.evidence.EvidenceProblem;
import de.amtsbote.crypto.evidence.EvidenceVerifier;
import de.amtsbote.crypto.evidence.VerifiedEvidence;
import de.amtsbote.gateway.delivery.DeliveryLedger;
import de.amtsbote.gateway.receipts.ReceiptProcessor;
import de.amtsbote.gateway.testing.ApiClient.Response;
import de.amtsbote.gateway.testing.Fleet;
import de.amtsbote.gateway.testing.Multipart;
import de.amtsbote.gateway.testing.RunningGateway;
import de.amtsbote.sandbox.loopback.FaultPlan;
import de.amtsbote.sandbox.loopback.OutgoingLetter;
import de.amtsbote.spi.TransportReceipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Evidence documents as a gateway with a key store writes them for real messages over the loopback channel: each
 * signed with the evidence key, verifiable by our verifier and by xmlsec1 from the root CA certificate alone, and
 * every kind of tampering refused with its reason.
 */
class SignedEvidenceTest extends RunningGateway {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path OWN_DATA = Fleet.temporaryDirectory("amtsbote-evidence-test-");
    private static final EvidencePki PKI = EvidencePki.create(OWN_DATA.resolve("pki"));

    @DynamicPropertySource
    static void signedEvidence(DynamicPropertyRegistry p) {
        p.add("amtsbote.storage.directory", () -> OWN_DATA.resolve("gateway").toString());
        PKI.gatewayProperties().forEach((k, v) -> p.add(k, () -> v));
        p.add("amtsbote.dispatch.receipt-timeout", () -> "2s");
    }

    @Autowired
    ReceiptProcessor receipts;

    @Autowired
    DeliveryLedger ledger;

    @Autowired
    TransactionTemplate tx;

    @TempDir
    Path files;

    private final EvidenceVerifier verifier = PKI.verifier();

    @AfterEach
    void clearFaults() {
        PEER.clearFaults();
    }

    @AfterAll
    static void stopPki() {
        PKI.close();
    }

    // ------------------------------------------------------------------ every event type

    @Test
    void theEvidenceOfEveryEventTypeVerifiesWithOurVerifierAndWithXmlsec1() throws Exception {
        List<String> messages = new ArrayList<>();
        // delivered, then late receipts: RelayAcceptance, Retrieval, DeliveryNonAcceptance
        String delivered = submit("participant:kreis-bergstrasse", "");
        String transportId = awaitState(delivered, "DELIVERED");
        receipts.accept(new TransportReceipt("loopback", transportId, TransportReceipt.Event.DISPATCHED, Instant.now(),
                null, null));
        receipts.accept(new TransportReceipt("loopback", transportId, TransportReceipt.Event.RETRIEVED, Instant.now(),
                null, null));
        awaitState(delivered, "RETRIEVED");
        receipts.accept(new TransportReceipt("loopback", transportId, TransportReceipt.Event.FAILED, Instant.now(),
                "the recipient's provider reports the mailbox closed", null));
        messages.add(delivered);
        // a transient failure first: RelayFailure
        PEER.injectFaults(new FaultPlan(1, 503, 0));
        String retried = submit("participant:kreis-bergstrasse", "");
        awaitState(retried, "DELIVERED");
        messages.add(retried);
        // a retrieval receipt that never comes: RetrievalExpiry
        String expired = submit("loopback:buergerbuero@loopback.example", "\"retrieval\"");
        awaitState(expired, "EXPIRED");
        messages.add(expired);
        // a delivery that failed for good, sent again by an operator as a new delivery: Resubmission
        String resent = submit("loopback:gibtesnicht@loopback.example", "");
        awaitState(resent, "FAILED");
        String ended = delivery(resent).get("id").asString();
        tx.executeWithoutResult(s -> ledger.resend(ledger.lock(ended).orElseThrow(), "sent again by a test"));
        messages.add(resent);
        // from outside: Receipt, and Retrieval when the client system takes it
        String subject = "Antrag " + UUID.randomUUID();
        PEER.send("poststelle", new OutgoingLetter("stadt-bad-vilbel@gateway", subject, "Guten Tag", false,
                List.of()));
        await("the inbound message is in the inbox", WAIT, () -> inboxId(subject).isPresent());
        String inbound = inboxId(subject).orElseThrow();
        assertThat(badVilbel().post("/api/v1/inbox/" + inbound + "/ack").status()).isEqualTo(200);
        messages.add(inbound);

        List<String> seen = new ArrayList<>();
        for (String message : messages) {
            for (Stored s : stored(message)) {
                VerifiedEvidence v = verifier.verify(s.document());
                assertThat(v.event()).isEqualTo(s.event());
                assertThat(v.evidenceId()).isEqualTo(s.id());
                assertThat(v.messageId()).isEqualTo(message);
                assertThat(v.signer()).isEqualTo(PKI.evidenceChain.get(0));
                assertThat(v.validation().revocation()).as("revocation checked").contains("OCSP");
                Path file = files.resolve(s.id() + ".xml");
                Files.write(file, s.document());
                EvidencePki.XmlsecResult x = PKI.xmlsec1(file);
                assertThat(x.exit()).as(s.event() + ": " + x.output()).isZero();
                assertThat(x.output()).contains("OK");
                seen.add(s.event());
            }
        }
        assertThat(seen).containsAll(Arrays.stream(EvidenceEvent.values()).map(EvidenceEvent::standardName).toList());
    }

    // ------------------------------------------------------------------ the API and the chain

    @Test
    void getEvidenceReturnsExactlyTheSignedBytesAndEachNamesThePreviousOnesDigest() throws Exception {
        String id = submit("participant:kreis-bergstrasse", "");
        awaitState(id, "DELIVERED");

        List<byte[]> documents = new ArrayList<>();
        badVilbel().get("/api/v1/messages/" + id).json().get("evidence").forEach(e -> {
            Response r = badVilbel().get("/api/v1/evidence/" + e.get("id").asString());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/xml");
            documents.add(r.body());
        });

        List<Stored> stored = stored(id);
        assertThat(documents).hasSize(3);
        LinkedHashMap<String, VerifiedEvidence> chain = new LinkedHashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            assertThat(documents.get(i)).isEqualTo(stored.get(i).document());
            VerifiedEvidence v = verifier.verify(documents.get(i));
            assertThat(v.previous()).isEqualTo(i == 0 ? null : ContentDigester.hexOf(documents.get(i - 1)));
            chain.put("document " + i, v);
        }
        assertThat(EvidenceChain.check(chain)).isEqualTo(new EvidenceChain.Report(3, true));
        String xml = new String(documents.get(0), UTF_8);
        assertThat(xml).contains("<ds:Reference URI=\"\">", "xml-exc-c14n#", "ecdsa-sha256", "<ds:X509Certificate>");
        assertThat(countOf(xml, "<ds:X509Certificate>")).as("evidence certificate and intermediate, not the root")
                .isEqualTo(2);
    }

    // ------------------------------------------------------------------ tampering

    @Test
    void aChangedFieldIsRefusedAsAltered() throws Exception {
        byte[] original = stored(deliveredMessage()).get(2).document();
        String xml = new String(original, UTF_8);
        assertThat(xml).contains("<EventType>DeliveryAcceptance</EventType>");
        byte[] changed = xml.replace("<EventType>DeliveryAcceptance</EventType>", "<EventType>Retrieval</EventType>")
                .getBytes(UTF_8);

        EvidenceException e = refusal(changed);

        assertThat(e.problem()).isEqualTo(EvidenceProblem.ALTERED);
        assertThat(e.getMessage()).contains("changed");
        Path file = files.resolve("changed.xml");
        Files.write(file, changed);
        assertThat(PKI.xmlsec1(file).exit()).isNotZero();
    }

    @Test
    void swappedEvidenceIsRefusedNamingTheOrder() throws Exception {
        List<Stored> s = stored(deliveredMessage());
        LinkedHashMap<String, VerifiedEvidence> swapped = new LinkedHashMap<>();
        swapped.put("1.xml", verifier.verify(s.get(0).document()));
        swapped.put("3.xml", verifier.verify(s.get(2).document()));
        swapped.put("2.xml", verifier.verify(s.get(1).document()));

        EvidenceException e = catchThrowableOfType(EvidenceException.class, () -> EvidenceChain.check(swapped));

        assertThat(e.problem()).isEqualTo(EvidenceProblem.WRONG_ORDER);
        assertThat(e.getMessage()).contains("3.xml (DeliveryAcceptance) follows 2.xml (DispatchAttempt)", "swapped");
    }

    @Test
    void aMissingLinkInTheChainIsRefusedNamingTheGap() throws Exception {
        List<Stored> s = stored(deliveredMessage());
        LinkedHashMap<String, VerifiedEvidence> gap = new LinkedHashMap<>();
        gap.put("1.xml", verifier.verify(s.get(0).document()));
        gap.put("3.xml", verifier.verify(s.get(2).document()));

        EvidenceException e = catchThrowableOfType(EvidenceException.class, () -> EvidenceChain.check(gap));

        assertThat(e.problem()).isEqualTo(EvidenceProblem.MISSING_LINK);
        assertThat(e.getMessage()).contains("between 1.xml (SubmissionAcceptance) and 3.xml is missing");
    }

    @Test
    void evidenceOfAnotherMessageIsRefusedInAChain() throws Exception {
        LinkedHashMap<String, VerifiedEvidence> mixed = new LinkedHashMap<>();
        mixed.put("a.xml", verifier.verify(stored(deliveredMessage()).get(0).document()));
        mixed.put("b.xml", verifier.verify(stored(submit("participant:kreis-bergstrasse", "")).get(0).document()));

        EvidenceException e = catchThrowableOfType(EvidenceException.class, () -> EvidenceChain.check(mixed));

        assertThat(e.problem()).isEqualTo(EvidenceProblem.OTHER_MESSAGE);
    }

    @Test
    void aDocumentReSignedByAnEvidenceKeyUnderAnotherCaIsRefusedAsUnknownSigner() throws Exception {
        byte[] forged = EvidencePki.resign(stored(deliveredMessage()).get(0).document(), PKI.strangerEvidenceSigner);

        EvidenceException e = refusal(forged);

        assertThat(e.problem()).isEqualTo(EvidenceProblem.UNKNOWN_SIGNER);
        assertThat(e.getMessage()).contains("not certified by the trusted CA");
        Path file = files.resolve("stranger.xml");
        Files.write(file, forged);
        assertThat(PKI.xmlsec1(file).exit()).isNotZero();
    }

    @Test
    void aDocumentReSignedWithAParticipantsSigningCertificateOfTheSameCaIsRefusedAsWrongSigner() throws Exception {
        byte[] forged = EvidencePki.resign(stored(deliveredMessage()).get(0).document(), PKI.participantSigner);

        EvidenceException e = refusal(forged);

        assertThat(e.problem()).isEqualTo(EvidenceProblem.WRONG_SIGNER);
        assertThat(e.getMessage()).contains("not an evidence certificate");
    }

    @Test
    void aDocumentWithoutItsSignatureIsRefusedAsUnsigned() throws Exception {
        String xml = new String(stored(deliveredMessage()).get(0).document(), UTF_8);
        byte[] stripped = xml.replaceAll("(?s)<ds:Signature .*</ds:Signature>", "").getBytes(UTF_8);

        assertThat(refusal(stripped).problem()).isEqualTo(EvidenceProblem.UNSIGNED);
    }

    @Test
    void anotherXmlDocumentIsRefusedAsNotEvidence() {
        EvidenceException e = refusal("<Bescheid xmlns=\"urn:example\"/>".getBytes(UTF_8));

        assertThat(e.problem()).isEqualTo(EvidenceProblem.NOT_EVIDENCE);
        assertThat(e.getMessage()).contains("{urn:example}Bescheid");
        assertThat(refusal("%PDF-1.7".getBytes(UTF_8)).problem()).isEqualTo(EvidenceProblem.NOT_EVIDENCE);
    }

    // ------------------------------------------------------------------ helpers

    private String deliveredCache;

    /** A message delivered once for this test: SubmissionAcceptance, DispatchAttempt, DeliveryAcceptance. */
    private String deliveredMessage() {
        if (deliveredCache == null) {
            deliveredCache = submit("participant:kreis-bergstrasse", "");
            awaitState(deliveredCache, "DELIVERED");
        }
        return deliveredCache;
    }

    private EvidenceException refusal(byte[] document) {
        EvidenceException e = catchThrowableOfType(EvidenceException.class, () -> verifier.verify(document));
        assertThat(e).as("the document was accepted").isNotNull();
        return e;
    }

    private String submit(String recipient, String receiptsWanted) {
        Response r = badVilbel().submit(new Multipart().envelope("""
                {"sender": "stadt-bad-vilbel", "recipients": ["%s"], "subject": "Bescheid %s",
                 "body": "Guten Tag", "options": {"sign": false, "encrypt": false, "receipts": [%s]}}
                """.formatted(recipient, UUID.randomUUID(), receiptsWanted))
                .attachment("bescheid.pdf", "application/pdf", "%PDF-1.7 Bescheid".getBytes(UTF_8)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private String awaitState(String id, String state) {
        await("delivery of " + id + " is " + state, WAIT, () -> delivery(id).get("state").asString().equals(state));
        return delivery(id).get("transportReference").asString();
    }

    private JsonNode delivery(String id) {
        return badVilbel().get("/api/v1/messages/" + id).json().get("deliveries").get(0);
    }

    private Optional<String> inboxId(String subject) {
        JsonNode page = badVilbel().get("/api/v1/inbox?limit=200").json();
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .filter(m -> m.get("subject").asString().equals(subject)).findFirst()
                .map(m -> m.get("id").asString());
    }

    private record Stored(String id, String event, byte[] document) {
    }

    private List<Stored> stored(String messageId) {
        return jdbc.sql("select id, event, document from evidence where message_id = :m order by seq")
                .param("m", messageId)
                .query((rs, i) -> new Stored(rs.getString("id"), rs.getString("event"), rs.getBytes("document")))
                .list();
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
