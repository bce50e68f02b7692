package de.amtsbote.adapter.bebpo;

import static de.amtsbote.adapter.bebpo.BebpoWorld.COURT_MAILBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.spi.DispatchResult;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The module's XSD and WSDL describe what the adapter really sends and what it accepts. */
class BebpoSchemaTest {

    @TempDir
    static Path dir;
    static BebpoWorld world;
    static Schema schema;

    @BeforeAll
    static void start() throws Exception {
        world = new BebpoWorld(dir);
        try (InputStream xsd = BebpoSchemaTest.class.getResourceAsStream("osci-bebpo.xsd")) {
            schema = SecureXml.standard().newSchemaFactory().newSchema(new StreamSource(xsd));
        }
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static void valid(Element element) throws Exception {
        Document own = SecureXml.standard().parse(new ByteArrayInputStream(ProcessCard.serialize(element)));
        SecureXml.standard().newValidator(schema).validate(new DOMSource(own));
    }

    @Test
    void everyOsciElementTheAdapterSendsIsValidAgainstTheSchema() throws Exception {
        world.intermediary.requests.clear();
        DispatchResult result = world.adapter.dispatch(BebpoWorld.envelope(UUID.randomUUID().toString(),
                COURT_MAILBOX, "%PDF".getBytes(StandardCharsets.US_ASCII)));
        world.intermediary.stored.get(result.transportReference()).forwarding = java.time.Instant.now();
        List<Path> requests = new ArrayList<>(world.intermediary.requests);
        List<String> types = world.intermediary.contentTypes.subList(world.intermediary.contentTypes.size()
                - requests.size(), world.intermediary.contentTypes.size());
        for (int i = 0; i < requests.size(); i++) {
            try (FakeIntermediary.Request request = FakeIntermediary.Request.read(requests.get(i), types.get(i))) {
                valid(Osci.CONTROL_BLOCK.find(request.envelope));
                valid(Osci.HEADER.child(Osci.NS, "ClientSignature").find(request.envelope));
                Element operation = Osci.children(Osci.BODY.find(request.envelope)).get(0);
                if (Osci.is(operation, Osci.XENC, "EncryptedData")) {
                    Element delivery = world.crypto.xmlDecryptor().decrypt(operation, world.intermediaryKey)
                            .element();
                    valid(delivery);
                    Element container = world.crypto.xmlDecryptor().decrypt(Osci.required(Osci.required(delivery,
                            Osci.NS, "ContentPackage"), Osci.XENC, "EncryptedData"), world.courtEncryption).element();
                    valid(container);
                } else {
                    valid(operation);
                }
            }
        }
        valid(SecureXml.standard().parse(new ByteArrayInputStream(result.proof().content())).getDocumentElement());
    }

    @Test
    void theSchemaRefusesAControlBlockWithoutNonce() throws Exception {
        Document d = SecureXml.standard().parse(new ByteArrayInputStream(("<osci:ControlBlock"
                + " xmlns:osci=\"http://www.osci.de/2002/04/osci\" osci:Id=\"control\"><osci:Operation>getMessageId"
                + "</osci:Operation><osci:Caller>DE.X.1</osci:Caller><osci:Created>2026-01-01T00:00:00Z"
                + "</osci:Created></osci:ControlBlock>").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> SecureXml.standard().newValidator(schema).validate(new DOMSource(d)))
                .isInstanceOf(SAXException.class).hasMessageContaining("Nonce");
    }

    @Test
    void theWsdlNamesTheOperationsOfTheContractAndItsSchema() throws Exception {
        Document wsdl;
        try (InputStream in = BebpoSchemaTest.class.getResourceAsStream("osci-bebpo.wsdl")) {
            wsdl = SecureXml.standard().parse(in);
        }
        NodeList portTypes = wsdl.getElementsByTagNameNS("http://schemas.xmlsoap.org/wsdl/", "portType");
        assertThat(portTypes.getLength()).isEqualTo(1);
        List<String> operations = new ArrayList<>();
        for (Element op : Osci.children((Element) portTypes.item(0))) {
            operations.add(op.getAttribute("name"));
        }
        assertThat(operations).containsExactly("getMessageId", "storeDelivery", "fetchDelivery",
                "acknowledgeDelivery", "fetchProcessCard");
        Element schemaImport = (Element) wsdl.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "import")
                .item(0);
        assertThat(BebpoSchemaTest.class.getResource(schemaImport.getAttribute("schemaLocation"))).isNotNull();
    }
}
