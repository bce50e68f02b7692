package de.amtsbote.crypto.xml;

import static java.nio.charset.StandardCharsets.UTF_8;

import de.amtsbote.crypto.keys.KeyOperationException;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.SignatureSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Documents and small helpers shared by the XML tests. */
final class XmlDocs {

    static final String EV = "urn:amtsbote:evidence:1";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";

    static final String EVIDENCE = """
            <ev:Evidence xmlns:ev="urn:amtsbote:evidence:1">
              <ev:Event>SubmissionAcceptance</ev:Event>
              <ev:Message Id="msg-1">
                <ev:Sender>poststelle@stadt-bad-vilbel.example</ev:Sender>
                <ev:Subject>Bescheid über die Hundesteuer 2026</ev:Subject>
              </ev:Message>
              <ev:Time>2026-11-24T10:15:30Z</ev:Time>
            </ev:Evidence>
            """;

    static final String ENVELOPE = """
            <env:Envelope xmlns:env="urn:test:envelope">
              <env:Header/>
              <env:Body Id="body-1"><env:Transfer><env:Amount>10.00</env:Amount><env:To>DE02120300000000202051</env:To></env:Transfer></env:Body>
            </env:Envelope>
            """;

    private XmlDocs() {
    }

    static Document parse(String xml) throws XmlSecurityException, IOException {
        return SecureXml.standard().parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));
    }

    static byte[] bytes(Document document) throws XmlSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureXml.standard().serialize(document, out);
        return out.toByteArray();
    }

    /** What a receiver gets: the document serialised and parsed again, with no Id attributes registered. */
    static Document reparse(Document document) throws XmlSecurityException, IOException {
        return SecureXml.standard().parse(new ByteArrayInputStream(bytes(document)));
    }

    static Element first(Document d, String namespace, String localName) {
        return (Element) d.getElementsByTagNameNS(namespace, localName).item(0);
    }

    /** A key handle that counts its signatures and refuses to give Santuario a JCA key. */
    static class CountingHandle implements PrivateKeyHandle {
        final PrivateKeyHandle delegate;
        final AtomicInteger signatures = new AtomicInteger();

        CountingHandle(PrivateKeyHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public KeyRef ref() {
            return delegate.ref();
        }

        @Override
        public X509Certificate certificate() {
            return delegate.certificate();
        }

        @Override
        public List<X509Certificate> chain() {
            return delegate.chain();
        }

        @Override
        public boolean hardware() {
            return true;
        }

        @Override
        public byte[] sign(SignatureSpec spec, byte[] data) throws KeyOperationException {
            signatures.incrementAndGet();
            return delegate.sign(spec, data);
        }

        @Override
        public byte[] decryptOaep(byte[] encryptedKey, Algorithm digest) throws KeyOperationException {
            return delegate.decryptOaep(encryptedKey, digest);
        }

        @Override
        public byte[] decryptPkcs1v15(byte[] encryptedKey, int expectedLength) throws KeyOperationException {
            return delegate.decryptPkcs1v15(encryptedKey, expectedLength);
        }

        @Override
        public byte[] agree(PublicKey otherPublicKey) throws KeyOperationException {
            return delegate.agree(otherPublicKey);
        }

        @Override
        public PrivateKey jcaKey() {
            throw new UnsupportedOperationException("a token key has no JCA key for libraries");
        }

        @Override
        public Provider jcaProvider() {
            throw new UnsupportedOperationException("a token key has no JCA provider for libraries");
        }
    }
}
