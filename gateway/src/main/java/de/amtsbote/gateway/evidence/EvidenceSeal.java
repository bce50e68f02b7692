package de.amtsbote.gateway.evidence;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.gateway.certificates.CryptoAccess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * Turns the facts of an evidence document into the bytes that are stored: signed with the gateway's evidence key
 * (owner {@value Crypto#GATEWAY}, purpose EVIDENCE) as an enveloped XML signature over the whole document (Reference
 * URI "", enveloped-signature and exclusive c14n; ECDSA or RSASSA-PSS as the policy picks for the key; KeyInfo with
 * the evidence certificate and its intermediates), so that it verifies offline from the CA certificate alone.
 *
 * <p>Secure default: an installation with a key store must have an active evidence key, or the gateway does not
 * start. Only an installation without any key store (a diagnostic, loopback-only one) writes unsigned documents, each
 * with an explicit {@code Unsigned} element, and says so at start.
 */
@Component
public class EvidenceSeal {

    static final String UNSIGNED_REASON = "written by a gateway without a key store (amtsbote.crypto.key-store):"
            + " this document is not signed and proves nothing by itself";

    private static final Logger log = LoggerFactory.getLogger(EvidenceSeal.class);

    private final Optional<Crypto> crypto;

    public EvidenceSeal(CryptoAccess access) {
        this.crypto = access.crypto();
        if (crypto.isEmpty()) {
            log.warn("no key store configured (amtsbote.crypto.key-store): evidence documents are written UNSIGNED and"
                    + " prove nothing by themselves; configure a key store with an EVIDENCE key for owner '{}' for"
                    + " any real use", Crypto.GATEWAY);
            return;
        }
        try {
            crypto.get().evidenceSigner();
        } catch (KeyVaultException e) {
            throw new IllegalStateException("the key store (amtsbote.crypto.key-store) has no active EVIDENCE key for"
                    + " owner '" + Crypto.GATEWAY + "', and every evidence document must be signed: generate an EC key"
                    + " (P-256 or brainpoolP256r1) for owner '" + Crypto.GATEWAY + "' with purpose EVIDENCE in the key"
                    + " store, have your CA certify its request (profile EVIDENCE: digitalSignature, nonRepudiation)"
                    + " and import the certificate (docs/evidence.md; ./amtsbote demo creates one for the demo). The"
                    + " key store said: " + e.getMessage(), e);
        }
        log.info("evidence documents are signed with the EVIDENCE key of '{}'", Crypto.GATEWAY);
    }

    /** Whether documents are signed (false only without a key store). */
    public boolean signs() {
        return crypto.isPresent();
    }

    /** The bytes to store for this document: signed, or marked unsigned where there is no key store. */
    public byte[] seal(EvidenceDocument document) {
        if (crypto.isEmpty()) {
            return EvidenceXml.writeUnsigned(document, UNSIGNED_REASON);
        }
        try {
            Document dom = SecureXml.standard().parse(new ByteArrayInputStream(EvidenceXml.write(document)));
            crypto.get().evidenceSigner().signEnveloped(dom);
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            SecureXml.standard().serialize(dom, out);
            return out.toByteArray();
        } catch (KeyVaultException | XmlSecurityException | IOException e) {
            throw new IllegalStateException("evidence " + document.id() + " (" + document.event().standardName()
                    + ") could not be signed: " + e.getMessage(), e);
        }
    }
}
