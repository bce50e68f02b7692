package de.amtsbote.adapter.bebpo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix of issue 7 (contract section 6), with WireMock standing in for the addressee's intermediary: what
 * may pass is transient (the gateway retries, the circuit breaker counts it), what the intermediary blames on the
 * request is permanent with its reason; nothing unverified is ever taken as stored.
 */
class BebpoFaultTest {

    static final String WIRE_MAILBOX = "DE.Justiz.wiremock-0001";
    static final String SOAP = "application/soap+xml; charset=UTF-8";

    @TempDir
    static Path dir;
    static BebpoWorld world;
    static WireMockServer wire;

    @BeforeAll
    static void start() throws Exception {
        wire = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wire.start();
        world = new BebpoWorld(dir, Map.of("receive-timeout", "1s"));
        world.intermediary.addMailbox(WIRE_MAILBOX, "Gericht hinter WireMock", false, "http://127.0.0.1:"
                + wire.port() + "/osci", world.intermediaryKey.certificate(), world.courtEncryption.certificate(),
                world.courtSigning.certificate(), null);
    }

    @AfterAll
    static void stop() {
        world.close();
        wire.stop();
    }

    @BeforeEach
    void reset() {
        wire.resetAll();
    }

    private static TransportException dispatchFails() {
        try {
            world.adapter.dispatch(BebpoWorld.envelope(UUID.randomUUID().toString(), WIRE_MAILBOX));
        } catch (TransportException e) {
            return e;
        }
        throw new AssertionError("the dispatch succeeded against a failing intermediary");
    }

    @Test
    void http5xxIsTransientAndKeepsRetryAfter() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "120")
                .withBody("maintenance")));
        TransportException e = dispatchFails();
        assertThat(e).isInstanceOf(TransientTransportException.class).hasMessageContaining("HTTP 503");
        assertThat(((TransientTransportException) e).retryAfter()).contains(Duration.ofSeconds(120));
        wire.verify(1, postRequestedFor(urlEqualTo("/osci")));
    }

    @Test
    void aSoapReceiverFaultIsTransient() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withStatus(500).withHeader("Content-Type", SOAP)
                .withBody(FakeIntermediary.faultXml("Receiver", "Unavailable", "storage is full, try later"))));
        assertThat(dispatchFails()).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("soap:Receiver osci:Unavailable: storage is full, try later");
    }

    @Test
    void aSoapSenderFaultIsPermanentWithTheIntermediarysReason() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withStatus(400).withHeader("Content-Type", SOAP)
                .withBody(FakeIntermediary.faultXml("Sender", "UnknownAddressee", "no mailbox " + WIRE_MAILBOX
                        + " here"))));
        assertThat(dispatchFails()).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("soap:Sender osci:UnknownAddressee: no mailbox " + WIRE_MAILBOX + " here");
    }

    @Test
    void aSlowAnswerBeyondTheReceiveTimeoutIsTransient() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", SOAP)
                .withBody("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"/>")
                .withFixedDelay(3000)));
        long start = System.nanoTime();
        assertThat(dispatchFails()).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("no answer within PT1S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
    }

    @Test
    void aTruncatedAnswerIsTransient() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        assertThat(dispatchFails()).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("broke off while it was read");
    }

    @Test
    void aConnectionResetIsTransient() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(dispatchFails()).isInstanceOf(TransientTransportException.class);
    }

    @Test
    void malformedXmlIsTransient() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", SOAP)
                .withBody("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>")));
        assertThat(dispatchFails()).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("not well-formed XML");
    }

    @Test
    void anUnsignedAnswerIsNotBelieved() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", SOAP)
                .withBody("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\""
                        + " xmlns:osci=\"http://www.osci.de/2002/04/osci\"><soap:Header><osci:ControlBlock"
                        + " osci:Id=\"control\"><osci:Operation>responseToGetMessageId</osci:Operation>"
                        + "</osci:ControlBlock></soap:Header><soap:Body osci:Id=\"body\"><osci:ResponseToGetMessageId>"
                        + "<osci:MessageId>AAAAAAAAAAAAAAAAAAAAAA==</osci:MessageId></osci:ResponseToGetMessageId>"
                        + "</soap:Body></soap:Envelope>")));
        assertThat(dispatchFails()).isInstanceOf(TransientTransportException.class)
                .hasMessageContaining("not believed");
    }

    @Test
    void anHttpErrorWithoutFaultIsPermanentNamingTheStatus() {
        wire.stubFor(post(urlEqualTo("/osci")).willReturn(aResponse().withStatus(404).withBody("not here")));
        assertThat(dispatchFails()).isInstanceOf(PermanentTransportException.class).hasMessageContaining("HTTP 404");
    }
}
