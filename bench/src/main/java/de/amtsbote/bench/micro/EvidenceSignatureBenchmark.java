package de.amtsbote.bench.micro;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.w3c.dom.Document;

/**
 * The evidence seal, as the gateway applies it to every state change: parse the evidence document (namespace
 * {@code urn:amtsbote:evidence:1}, the elements the gateway writes), sign it enveloped with the evidence key
 * (crypto.xml {@link XmlSigner}: exclusive c14n, SHA-256, ECDSA), serialise it. With no transport proof (a dispatch
 * attempt) and with an 8 KiB one (a DeliveryAcceptance carries the receipt mail base64 inside the signed document).
 * The demo's evidence key is P-256; brainpoolP256r1 is the crypto core's default curve.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EvidenceSignatureBenchmark {

    @Param({"P-256", "brainpoolP256r1"})
    public String evidenceKey;

    @Param({"0", "8192"})
    public int proofBytes;

    private XmlSigner signer;
    private byte[] document;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        MicroKeys keys = new MicroKeys();
        signer = new XmlSigner(keys.key("amtsbote-gateway", KeyPurpose.EVIDENCE, evidenceKey), keys.policy);
        document = evidence(proofBytes);
        seal();
    }

    @Benchmark
    public byte[] seal() throws XmlSecurityException, IOException {
        Document dom = SecureXml.standard().parse(new ByteArrayInputStream(document));
        signer.signEnveloped(dom);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + proofBytes * 2);
        SecureXml.standard().serialize(dom, out);
        return out.toByteArray();
    }

    /** An evidence document of the gateway's form (gateway EvidenceXml), unsigned. */
    static byte[] evidence(int proofBytes) {
        String digest = HexFormat.of().formatHex(MicroContent.bytes(32, 1));
        String proof = proofBytes == 0 ? "" : "<TransportProof mediaType=\"message/rfc822\" assurance=\"RECIPIENT_SIGNED\">"
                + Base64.getEncoder().encodeToString(MicroContent.bytes(proofBytes, 2)) + "</TransportProof>";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Evidence xmlns=\"urn:amtsbote:evidence:1\""
                + " Id=\"ev-0190c7a2-5f1e-7c3a-9d2b-3c4d5e6f7a8b\" version=\"1\">"
                + "<EventType>" + (proofBytes == 0 ? "DispatchAttempt" : "DeliveryAcceptance") + "</EventType>"
                + "<EventTime>2026-11-25T09:31:12.123456Z</EventTime>"
                + "<EvidenceId>0190c7a2-5f1e-7c3a-9d2b-3c4d5e6f7a8b</EvidenceId>"
                + "<MessageId>0190c7a2-4e0d-7b29-8c1a-2b3c4d5e6f70</MessageId>"
                + "<DeliveryId>0190c7a2-4e0e-7b29-8c1a-2b3c4d5e6f71</DeliveryId>"
                + "<Sender>stadt-bad-vilbel</Sender><Recipient>smime:erika.mustermann@example.org</Recipient>"
                + "<Channel>smime</Channel><StateTransition from=\"SENT\" to=\"DELIVERED\"/><Attempt>1</Attempt>"
                + "<Node>bench-node</Node><ContentDigest algorithm=\"SHA-256\">" + digest + "</ContentDigest>"
                + "<Reference>AZ 22-HST-4711</Reference>"
                + "<TransportReference>&lt;0190c7a2-4e0e-7b29-8c1a-2b3c4d5e6f71@bad-vilbel.example&gt;</TransportReference>"
                + "<IssuerTime>2026-11-25T09:31:12Z</IssuerTime>" + proof
                + "<PreviousEvidence algorithm=\"SHA-256\">" + digest + "</PreviousEvidence></Evidence>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }
}
