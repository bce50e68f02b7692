package de.amtsbote.sandbox.osci;

import static de.amtsbote.sandbox.osci.OsciTestWorld.AGENCY;
import static de.amtsbote.sandbox.osci.OsciTestWorld.PARTICIPANT;
import static de.amtsbote.sandbox.osci.OsciTestWorld.STRANGER;
import static de.amtsbote.sandbox.osci.SoapTestClient.OSCI;
import static de.amtsbote.sandbox.osci.SoapTestClient.SOAP;
import static de.amtsbote.sandbox.osci.SoapTestClient.el;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** Every fault of contract section 6, over real HTTP, from a client written in the test. */
class IntermediaryFaultsTest {

    @TempDir
    Path dir;
    OsciTestWorld world;

    @BeforeEach
    void start() throws Exception {
        world = OsciTestWorld.start(dir, b -> b.intermediary(IntermediaryConfig.generated("tiny").maxBytes(8192)));
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private SoapTestClient.Answer send(Intermediary at, SoapTestClient.Request r) throws Exception {
        return world.client.send(at.url(), r);
    }

    private SoapTestClient.Request fetch(String caller, String addressee) throws Exception {
        return world.request("fetchDelivery", caller, world.signing(caller)).body(b -> {
            Element f = el(b, "FetchDelivery", null);
            el(f, "Addressee", addressee);
        });
    }

    @Test
    void storesAWellFormedDeliveryWithAnAttachment() throws Exception {
        Path pdf = Files.writeString(dir.resolve("klage.pdf"), "%PDF-1.7 Klage");
        OsciTestWorld.Delivery d = world.participantToAgency();
        d.attachment = pdf;
        SoapTestClient.Answer a = send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT)));
        a.assertOk();
        assertThat(a.payload().getLocalName()).isEqualTo("ResponseToStoreDelivery");
        assertThat(world.behoerden().pendingDeliveries()).isEqualTo(1);
        assertThat(world.behoerden().log()).anyMatch(e -> e.event().equals("stored")
                && d.messageId.equals(e.get("messageId")) && "1".equals(e.get("attachments")));
    }

    @Test
    void malformedForAnUnknownOperation() throws Exception {
        SoapTestClient.Answer a = send(world.behoerden(), world.request("forwardDelivery", PARTICIPANT,
                world.signing(PARTICIPANT)).body(b -> el(b, "ForwardDelivery", null)));
        a.assertFault(400, "Sender", "Malformed", "unknown operation 'forwardDelivery'");
    }

    @Test
    void malformedForSomethingThatIsNoSoap12Envelope() throws Exception {
        SoapTestClient.Answer a = world.client.post(world.behoerden().url(),
                "<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"/>".getBytes(), List.of());
        a.assertFault(400, "Sender", "Malformed", "not a SOAP 1.2 envelope");
    }

    @Test
    void signatureInvalidWithoutAClientSignature() throws Exception {
        SoapTestClient.Request r = world.request("getMessageId", PARTICIPANT, world.signing(PARTICIPANT))
                .body(b -> el(b, "GetMessageId", null));
        r.unsigned = true;
        send(world.behoerden(), r).assertFault(400, "Sender", "SignatureInvalid", "no osci:ClientSignature");
    }

    @Test
    void signatureInvalidWhenTheSignedBodyIsWrappedInAHeaderAndAnotherBodyPutIn() throws Exception {
        SoapTestClient.Request r = fetch(PARTICIPANT, PARTICIPANT);
        r.tamper = d -> {
            Element env = d.getDocumentElement();
            Element header = SoapTestClient.child(env, SOAP, "Header");
            Element body = SoapTestClient.child(env, SOAP, "Body");
            Element wrapper = (Element) header.appendChild(d.createElementNS("urn:attacker", "a:Wrapper"));
            wrapper.appendChild(body); // the signed Body, still with osci:Id="body"
            Element evil = (Element) env.appendChild(d.createElementNS(SOAP, "s:Body"));
            Element f = el(evil, "FetchDelivery", null);
            el(f, "Addressee", AGENCY);
        };
        SoapTestClient.Answer a = send(world.behoerden(), r);
        a.assertFault(400, "Sender", "SignatureInvalid", "not covered by the signature");
    }

    @Test
    void signatureInvalidWhenTheBodyWasChangedAfterSigning() throws Exception {
        SoapTestClient.Request r = fetch(PARTICIPANT, PARTICIPANT);
        r.tamper = d -> d.getElementsByTagNameNS(OSCI, "Addressee").item(0).setTextContent(STRANGER);
        send(world.behoerden(), r).assertFault(400, "Sender", "SignatureInvalid", "does not hold");
    }

    @Test
    void signatureInvalidForACertificateThatIsNotTheCallers() throws Exception {
        SoapTestClient.Request r = fetch(PARTICIPANT, PARTICIPANT);
        r.key = world.signing(STRANGER);
        send(world.behoerden(), r).assertFault(400, "Sender", "SignatureInvalid",
                "is not the signature or origin certificate the directory names for " + PARTICIPANT);
    }

    @Test
    void certificateInvalidForAnExpiredSignatureCertificate() throws Exception {
        IssuedCertificate expired = world.pki.authority().issue(IssueRequest.named("expired")
                .profile(CertificateProfile.SIGNING).key(KeySpec.ec("P-256"))
                .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))));
        Path cert = dir.resolve("expired.pem");
        Path key = dir.resolve("expired.key.pem");
        Pem.writeCertificates(cert, expired.chain());
        Pem.writeTestPrivateKey(key, expired.privateKey());
        String id = "DE.Gateway.expired-1";
        world.osci.register(OsciMailboxConfig.external(id, "behoerden")
                .encryption(world.pki.encryption(id).certificate(), null).signature(cert, null).build());
        SoapTestClient.Request r = fetch(id, id);
        r.key = OsciTestWorld.handle(new OsciPki.Pair(cert, key));
        send(world.behoerden(), r).assertFault(400, "Sender", "CertificateInvalid", "expired");
    }

    @Test
    void requestReplayedForANonceSeenBefore() throws Exception {
        SoapTestClient.Request r = fetch(PARTICIPANT, PARTICIPANT);
        byte[] once = SoapTestClient.envelope(r);
        world.client.post(world.behoerden().url(), once, List.of()).assertOk();
        world.client.post(world.behoerden().url(), once, List.of())
                .assertFault(400, "Sender", "RequestReplayed", "was seen in the last 10 minutes");
    }

    @Test
    void requestReplayedForACreatedTimeMoreThanFiveMinutesAway() throws Exception {
        SoapTestClient.Request r = fetch(PARTICIPANT, PARTICIPANT);
        r.created = Instant.now().minus(Duration.ofMinutes(6));
        send(world.behoerden(), r).assertFault(400, "Sender", "RequestReplayed", "more than 5 minutes");
    }

    @Test
    void notForThisIntermediaryWhenTheUsageDataIsEncryptedForAnotherKey() throws Exception {
        OsciTestWorld.Delivery d = world.participantToAgency();
        d.intermediary = world.justiz().certificate();
        send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT)))
                .assertFault(400, "Sender", "NotForThisIntermediary", "cannot be decrypted with the key of"
                        + " intermediary behoerden");
    }

    @Test
    void unknownAddresseeForAMailboxNotHeldHere() throws Exception {
        OsciTestWorld.Delivery d = world.participantToAgency();
        d.addressee = OsciTestWorld.COURT; // held by justiz, not by behoerden
        send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT)))
                .assertFault(400, "Sender", "UnknownAddressee", "holds no mailbox " + OsciTestWorld.COURT);
    }

    @Test
    void messageIdUnknownForAnIdNotReservedForTheCaller() throws Exception {
        OsciTestWorld.Delivery d = world.participantToAgency();
        d.messageId = world.getMessageId(world.behoerden(), STRANGER, world.signing(STRANGER));
        send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT)))
                .assertFault(400, "Sender", "MessageIdUnknown", "is not reserved for " + PARTICIPANT);
    }

    @Test
    void messageIdUsedForAReplayedDelivery() throws Exception {
        OsciTestWorld.Delivery d = world.participantToAgency();
        send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT))).assertOk();
        send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT)))
                .assertFault(400, "Sender", "MessageIdUsed", "was already stored");
        assertThat(world.behoerden().pendingDeliveries()).isEqualTo(1);
    }

    @Test
    void originInvalidForAForgedOriginSignature() throws Exception {
        OsciTestWorld.Delivery d = world.participantToAgency();
        d.originKey = world.signing(STRANGER);
        send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT)))
                .assertFault(400, "Sender", "OriginInvalid", "the origin signature does not hold");
    }

    @Test
    void originInvalidWhenABebpoSignsWithItsSignatureInsteadOfItsOriginCertificate() throws Exception {
        // the agency is a beBPo: its origin signature must be by its VHN certificate
        OsciTestWorld.Delivery d = new OsciTestWorld.Delivery();
        d.originator = AGENCY;
        d.addressee = PARTICIPANT;
        PrivateKeyHandle agency = world.signing(AGENCY);
        d.messageId = world.getMessageId(world.behoerden(), AGENCY, agency);
        d.addresseeEncryption = world.certificate(world.pki.encryption(PARTICIPANT));
        d.intermediary = world.behoerden().certificate();
        d.originKey = agency;
        d.contentKey = agency;
        send(world.behoerden(), world.storeRequest(d, agency))
                .assertFault(400, "Sender", "OriginInvalid", "by the origin certificate of " + AGENCY);
        d.messageId = world.getMessageId(world.behoerden(), AGENCY, agency);
        d.originKey = OsciTestWorld.handle(world.pki.origin(AGENCY));
        send(world.behoerden(), world.storeRequest(d, agency)).assertOk();
    }

    @Test
    void originInvalidForAnAttachmentThatDoesNotMatchItsSignedDigest() throws Exception {
        OsciTestWorld.Delivery d = world.participantToAgency();
        d.attachment = Files.writeString(dir.resolve("a.txt"), "Anlage");
        d.wrongDigest = true;
        send(world.behoerden(), world.storeRequest(d, world.signing(PARTICIPANT)))
                .assertFault(400, "Sender", "OriginInvalid", "does not match its signed Size and Digest");
        assertThat(world.behoerden().pendingDeliveries()).isZero();
    }

    @Test
    void notAddresseeWhenSomeoneElseFetches() throws Exception {
        send(world.behoerden(), fetch(STRANGER, PARTICIPANT))
                .assertFault(400, "Sender", "NotAddressee", STRANGER + " may not fetch the deliveries of "
                        + PARTICIPANT);
    }

    @Test
    void notAddresseeWhenSomeoneElseAcknowledges() throws Exception {
        OsciTestWorld.Delivery d = world.strangerToParticipant();
        send(world.behoerden(), world.storeRequest(d, world.signing(STRANGER))).assertOk();
        SoapTestClient.Answer a = send(world.behoerden(), world.request("acknowledgeDelivery", STRANGER,
                world.signing(STRANGER)).body(b -> el(el(b, "AcknowledgeDelivery", null), "MessageId", d.messageId)
                .getParentNode()));
        a.assertFault(400, "Sender", "NotAddressee", "is not the addressee of " + d.messageId);
    }

    @Test
    void tooLargeOverTheSizeLimit() throws Exception {
        String id = "DE.Gateway.tiny-1";
        world.osci.register(OsciTestWorld.external(world.pki, id, "tiny"));
        SoapTestClient.Request r = world.request("getMessageId", id, world.signing(id))
                .body(b -> el(b, "GetMessageId", null));
        r.tamper = d -> el(SoapTestClient.child(d.getDocumentElement(), SOAP, "Header"), "Padding", "x".repeat(10_000));
        send(world.osci.intermediary("tiny"), r).assertFault(400, "Sender", "TooLarge", "over the size limit");
    }

    @Test
    void unavailableForTheNextRequestsAsAReceiverFault() throws Exception {
        world.osci.faults("behoerden").unavailable(1);
        send(world.behoerden(), fetch(PARTICIPANT, PARTICIPANT))
                .assertFault(500, "Receiver", "Unavailable", "retry later");
        send(world.behoerden(), fetch(PARTICIPANT, PARTICIPANT)).assertOk();
        assertThat(world.behoerden().log()).anyMatch(e -> "Unavailable".equals(e.get("subcode")));
    }

    @Test
    void theListenerStopsAndComesBackOnTheSamePort() throws Exception {
        int port = world.osci.httpPort();
        world.osci.faults("behoerden").stopListener();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(world.osci.directoryUri().resolve("/safe/mailboxes/" + PARTICIPANT))
                .GET().build();
        assertThatThrownBy(() -> http.send(get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        world.osci.faults("behoerden").startListener();
        assertThat(world.osci.httpPort()).isEqualTo(port);
        assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        send(world.behoerden(), fetch(PARTICIPANT, PARTICIPANT)).assertOk();
    }
}
