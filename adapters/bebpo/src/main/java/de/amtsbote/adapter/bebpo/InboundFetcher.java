package de.amtsbote.adapter.bebpo;

import de.amtsbote.adapter.bebpo.OsciClient.AnswerRefused;
import de.amtsbote.adapter.bebpo.ProcessCard.CardRefused;
import de.amtsbote.adapter.bebpo.SafeDirectory.DirectoryException;
import de.amtsbote.adapter.bebpo.SafeDirectory.UnknownMailboxException;
import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.xml.DecryptedXml;
import de.amtsbote.crypto.xml.ElementPath;
import de.amtsbote.crypto.xml.SecureXml;
import de.amtsbote.crypto.xml.SignatureExpectation;
import de.amtsbote.crypto.xml.VerifiedXml;
import de.amtsbote.crypto.xml.XmlSecurityException;
import de.amtsbote.crypto.xml.XmlSigner;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.InboundMessage;
import de.amtsbote.spi.InboundPart;
import de.amtsbote.spi.InboundProof;
import de.amtsbote.spi.PermanentTransportException;
import de.amtsbote.spi.QuarantinedMessage;
import de.amtsbote.spi.SignatureCheck;
import de.amtsbote.spi.TransientTransportException;
import de.amtsbote.spi.TransportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Empties one of the gateway's own mailboxes (contract section 4, {@code fetchDelivery} until {@code NoDelivery}).
 * For each delivery: the answer's intermediary signature and its process card are verified (else the poll stops for
 * this mailbox, nothing is acknowledged: the answer cannot be trusted, not even its message id); the usage data is
 * decrypted with the participant's keys, the origin signature verified (for a beBPo originator: by its origin
 * certificate in the directory), the content container decrypted and its content signature verified, each
 * attachment decrypted from its MTOM part to a spool file while its encrypted and plain sizes and SHA-256 are checked.
 * Then the message goes to the sink, and only after that the delivery is acknowledged; the fetch card (Creation) and
 * the acknowledgement's card (Reception) go to the sink as inbound proofs. A delivery that fails a check is
 * quarantined with the check named, and then acknowledged: the intermediary hands out the oldest unacknowledged
 * delivery first, so one that is never acknowledged would block the mailbox; the quarantine keeps it.
 */
final class InboundFetcher {

    /** Deliveries taken per mailbox and poll, so one poll cannot run forever. */
    static final int MAX_PER_POLL = 50;
    private static final ElementPath STORE_DELIVERY = ElementPath.root(Osci.NS, "StoreDelivery");
    private static final ElementPath CONTENT_CONTAINER = ElementPath.root(Osci.NS, "ContentContainer");

    private final BebpoSettings settings;
    private final ChannelContext context;
    private final Crypto crypto;
    private final SafeDirectory directory;
    private final OsciClient client;

    InboundFetcher(BebpoSettings settings, ChannelContext context, Crypto crypto, SafeDirectory directory,
                   OsciClient client) {
        this.settings = settings;
        this.context = context;
        this.crypto = crypto;
        this.directory = directory;
        this.client = client;
    }

    void fetch(BebpoSettings.Mailbox mailbox) throws TransportException {
        MailboxEntry own = lookup(mailbox.id());
        XmlSigner signer;
        List<PrivateKeyHandle> keys;
        try {
            signer = crypto.xmlSigner(mailbox.participant());
            keys = crypto.decryptionKeys(mailbox.participant());
        } catch (KeyVaultException e) {
            throw new PermanentTransportException("participant " + mailbox.participant() + " of mailbox "
                    + mailbox.id() + " lacks its SIGNING or ENCRYPTION key: " + e.getMessage(), e);
        }
        String previous = null;
        for (int i = 0; i < MAX_PER_POLL; i++) {
            OsciRequest request = OsciRequest.create("fetchDelivery", mailbox.id(), context.clock().instant());
            Element fetch = request.operationElement("FetchDelivery");
            Osci.add(fetch, "Addressee", mailbox.id());
            sign(request, signer);
            String where = "fetchDelivery at " + own.intermediary() + " for " + mailbox.id();
            try (OsciAnswer answer = client.call(own.intermediary(), request)) {
                Element response = client.verify(answer, request, own.intermediaryCertificate());
                if (Osci.child(response, Osci.NS, "NoDelivery") != null) {
                    return;
                }
                ProcessCard card = ProcessCard.verify(Osci.required(response, Osci.NS, "ProcessCardBundle"),
                        own.intermediaryCertificate(), crypto.policy());
                if (card.messageId().equals(previous)) {
                    throw new TransientTransportException(where + ": the intermediary hands out " + previous
                            + " again after it was acknowledged");
                }
                previous = card.messageId();
                take(mailbox, own, signer, keys, response, answer, card);
            } catch (OsciFault fault) {
                throw BebpoAdapter.mapped(fault, where);
            } catch (AnswerRefused e) {
                throw BebpoAdapter.refused(e, where);
            } catch (CardRefused | Osci.MalformedException e) {
                throw new TransientTransportException(where + ": the answer is not believed: " + e.getMessage());
            }
        }
    }

    private void take(BebpoSettings.Mailbox mailbox, MailboxEntry own, XmlSigner signer, List<PrivateKeyHandle> keys,
                      Element response, OsciAnswer answer, ProcessCard card) throws TransportException {
        List<Path> files = new ArrayList<>();
        try {
            InboundMessage message;
            try {
                message = open(mailbox, keys, response, answer, card, files);
            } catch (Quarantine q) {
                context.inbound().quarantine(new QuarantinedMessage(card.messageId(), q.getMessage(),
                        context.clock().instant(), answer::raw, List.of(mailbox.id())));
                acknowledge(mailbox, own, signer, card.messageId());
                return;
            }
            context.inbound().accept(message);
            context.inbound().inboundProof(new InboundProof(card.messageId(), InboundProof.Event.DELIVERED,
                    card.creation(), card.proof()));
            ProcessCard reception = acknowledge(mailbox, own, signer, card.messageId());
            if (reception.reception() != null) {
                context.inbound().inboundProof(new InboundProof(card.messageId(), InboundProof.Event.RETRIEVED,
                        reception.reception(), reception.proof()));
            }
        } finally {
            files.forEach(OsciClient::deleteQuietly);
        }
    }

    /** acknowledgeDelivery; the verified card with Reception set. */
    private ProcessCard acknowledge(BebpoSettings.Mailbox mailbox, MailboxEntry own, XmlSigner signer,
                                    String messageId) throws TransportException {
        OsciRequest request = OsciRequest.create("acknowledgeDelivery", mailbox.id(), context.clock().instant());
        Osci.add(request.operationElement("AcknowledgeDelivery"), "MessageId", messageId);
        sign(request, signer);
        String where = "acknowledgeDelivery of " + messageId + " at " + own.intermediary();
        try (OsciAnswer answer = client.call(own.intermediary(), request)) {
            Element response = client.verify(answer, request, own.intermediaryCertificate());
            ProcessCard card = ProcessCard.verify(Osci.required(response, Osci.NS, "ProcessCardBundle"),
                    own.intermediaryCertificate(), crypto.policy());
            if (!card.messageId().equals(messageId)) {
                throw new TransientTransportException(where + ": the process card is about " + card.messageId());
            }
            return card;
        } catch (OsciFault fault) {
            throw BebpoAdapter.mapped(fault, where);
        } catch (AnswerRefused e) {
            throw BebpoAdapter.refused(e, where);
        } catch (CardRefused | Osci.MalformedException e) {
            throw new TransientTransportException(where + ": the answer is not believed: " + e.getMessage());
        }
    }

    /** A delivery that fails a check: quarantined with the check named. */
    private static final class Quarantine extends Exception {
        Quarantine(String message) {
            super(message);
        }

        Quarantine(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private InboundMessage open(BebpoSettings.Mailbox mailbox, List<PrivateKeyHandle> keys, Element response,
                                OsciAnswer answer, ProcessCard card, List<Path> files)
            throws Quarantine, TransportException {
        String mid = card.messageId();
        // usage data: for us
        Element encrypted;
        try {
            encrypted = Osci.required(response, Osci.XENC, "EncryptedData");
        } catch (Osci.MalformedException e) {
            throw new Quarantine("delivery " + mid + ": " + e.getMessage());
        }
        Element storeDelivery = decrypt(encrypted, keys, "the usage data (StoreDelivery) of " + mid).element();
        Document delivery;
        try {
            delivery = SecureXml.standard().parse(new ByteArrayInputStream(ProcessCard.serialize(storeDelivery)));
        } catch (XmlSecurityException | IOException e) {
            throw new Quarantine("delivery " + mid + ": the decrypted StoreDelivery cannot be read: "
                    + e.getMessage(), e);
        }
        if (!Osci.is(delivery.getDocumentElement(), Osci.NS, "StoreDelivery")) {
            throw new Quarantine("delivery " + mid + ": the usage data is a " + delivery.getDocumentElement()
                    .getNodeName() + ", not an osci:StoreDelivery");
        }
        try {
            String originator = Osci.text(delivery.getDocumentElement(), "Originator");
            if (!MailboxId.valid(originator)) {
                throw new Quarantine("delivery " + mid + ": the originator '" + originator + "' is not a mailbox id");
            }
            MailboxEntry from = lookupOriginator(originator, mid);
            X509Certificate originSigner = from.originSigner();
            if (originSigner == null) {
                throw new Quarantine("delivery " + mid + ": the directory lists no signature certificate for the"
                        + " originator " + originator);
            }
            // origin signature (VHN), by the certificate the directory names
            VerifiedXml origin = verify(delivery, STORE_DELIVERY, "origin signature of " + mid);
            if (!origin.signer().equals(originSigner)) {
                throw new Quarantine("delivery " + mid + ": the origin signature is by "
                        + origin.signer().getSubjectX500Principal().getName() + ", not by the "
                        + (from.bebpo() ? "origin (VHN) certificate" : "signature certificate") + " the directory"
                        + " names for " + originator);
            }
            Element signed = origin.element(STORE_DELIVERY);
            String messageId = Osci.text(signed, "MessageId");
            if (!messageId.equals(mid)) {
                throw new Quarantine("delivery " + mid + ": the signed MessageId is " + messageId
                        + ", not the process card's");
            }
            if (!Osci.text(signed, "Originator").equals(originator)) {
                throw new Quarantine("delivery " + mid + ": the originator changed after the signature check");
            }
            String addressee = Osci.text(signed, "Addressee");
            if (!addressee.equals(mailbox.id())) {
                throw new Quarantine("delivery " + mid + ": addressed to " + addressee + ", found in mailbox "
                        + mailbox.id());
            }
            String subject = Osci.optionalText(signed, "Subject");
            Element contentPackage = Osci.required(signed, Osci.NS, "ContentPackage");

            // attachments: decrypted from their MTOM parts, sizes and digests checked on both sides of the cipher
            Map<String, Path> plain = new LinkedHashMap<>();
            Map<String, long[]> plainSizes = new LinkedHashMap<>();
            Map<String, String> plainDigests = new LinkedHashMap<>();
            for (Element attachment : Osci.children(contentPackage, Osci.NS, "Attachment")) {
                attachment(attachment, answer, keys, mid, files, plain, plainSizes, plainDigests);
            }

            // content data: decrypted, then its own signature by the sender
            Element containerData = Osci.required(contentPackage, Osci.XENC, "EncryptedData");
            Element container = decrypt(containerData, keys, "the content container of " + mid).element();
            Document content = SecureXml.standard().parse(new ByteArrayInputStream(
                    ProcessCard.serialize(container)));
            VerifiedXml contentSignature = verify(content, CONTENT_CONTAINER, "content signature of " + mid);
            X509Certificate sender = contentSignature.signer();
            if (!sender.equals(from.signatureCertificate()) && !sender.equals(from.originCertificate())) {
                throw new Quarantine("delivery " + mid + ": the content signature is by "
                        + sender.getSubjectX500Principal().getName() + ", not by a certificate the directory names"
                        + " for " + originator);
            }
            Element verifiedContainer = contentSignature.element(CONTENT_CONTAINER);
            Element text = Osci.required(verifiedContainer, Osci.NS, "Content");
            byte[] body;
            try {
                body = Base64.getMimeDecoder().decode(text.getTextContent().trim());
            } catch (IllegalArgumentException e) {
                throw new Quarantine("delivery " + mid + ": the body text is not base64");
            }
            List<InboundPart> parts = new ArrayList<>();
            List<Element> infos = Osci.children(verifiedContainer, Osci.NS, "AttachmentInfo");
            if (infos.size() != plain.size()) {
                throw new Quarantine("delivery " + mid + ": the content names " + infos.size() + " attachments,"
                        + " the delivery carries " + plain.size());
            }
            for (Element info : infos) {
                String ref = info.getAttribute("Ref");
                Path file = plain.get(ref);
                if (file == null) {
                    throw new Quarantine("delivery " + mid + ": AttachmentInfo " + ref + " names no attachment");
                }
                if (!Long.toString(plainSizes.get(ref)[0]).equals(info.getAttribute("Size"))) {
                    throw new Quarantine("delivery " + mid + ": attachment " + ref + " has " + plainSizes.get(ref)[0]
                            + " bytes, the signed content says " + info.getAttribute("Size"));
                }
                if (!plainDigests.get(ref).equals(info.getAttribute("Digest"))) {
                    throw new Quarantine("delivery " + mid + ": the SHA-256 of attachment " + ref + " ("
                            + info.getAttribute("Name") + ") does not match the signed Digest of its plain bytes");
                }
                String name = info.getAttribute("Name").isBlank() ? ref : info.getAttribute("Name");
                String type = info.getAttribute("MediaType").isBlank() ? "application/octet-stream"
                        : info.getAttribute("MediaType");
                parts.add(new InboundPart(name, type, () -> Files.newInputStream(file)));
            }
            List<String> warnings = new ArrayList<>(origin.flags());
            contentSignature.flags().stream().filter(f -> !warnings.contains(f)).forEach(warnings::add);
            String verdict = "valid; origin verified: " + (from.bebpo() ? "beBPo " : "mailbox ") + originator
                    + (from.name() == null || from.name().equals(originator) ? "" : " (" + from.name() + ")")
                    + " by " + origin.signer().getSubjectX500Principal().getName();
            SignatureCheck check = new SignatureCheck(warnings.isEmpty() ? SignatureCheck.Status.VALID
                    : SignatureCheck.Status.VALID_WITH_WARNINGS, sender.getSubjectX500Principal().getName(), verdict,
                    List.of(contentSignature.scheme().displayName() + "/" + contentSignature.digest().displayName(),
                            origin.scheme().displayName() + "/" + origin.digest().displayName()), warnings);
            return new InboundMessage(mid, new ChannelAddress(BebpoAdapter.CHANNEL, originator),
                    new ChannelAddress(BebpoAdapter.CHANNEL, addressee), subject == null ? "" : subject,
                    () -> new ByteArrayInputStream(body), context.clock().instant(), false, check, parts);
        } catch (Osci.MalformedException e) {
            throw new Quarantine("delivery " + mid + " is malformed: " + e.getMessage());
        } catch (XmlSecurityException | IOException e) {
            throw new Quarantine("delivery " + mid + ": the content container cannot be read: " + e.getMessage(),
                    e);
        }
    }

    private void attachment(Element attachment, OsciAnswer answer, List<PrivateKeyHandle> keys, String mid,
                            List<Path> files, Map<String, Path> plain, Map<String, long[]> plainSizes,
                            Map<String, String> plainDigests) throws Quarantine, Osci.MalformedException,
            TransportException {
        String id = attachment.getAttributeNS(Osci.NS, "Id");
        long size;
        try {
            size = Long.parseLong(attachment.getAttribute("Size"));
        } catch (NumberFormatException e) {
            throw new Quarantine("delivery " + mid + ": attachment " + id + " has no numeric Size");
        }
        if (size > settings.maxMessageBytes() + 64) {
            throw new Quarantine("delivery " + mid + ": attachment " + id + " of " + size + " bytes exceeds"
                    + " max-message-size");
        }
        String digest = attachment.getAttribute("Digest");
        Element data = Osci.required(attachment, Osci.XENC, "EncryptedData");
        String method = Osci.required(data, Osci.XENC, "EncryptionMethod").getAttribute("Algorithm");
        Element keyInfo = Osci.required(data, Osci.DS, "KeyInfo");
        List<Element> encryptedKeys = Osci.children(keyInfo, Osci.XENC, "EncryptedKey");
        Element cipherValue = Osci.required(Osci.required(data, Osci.XENC, "CipherData"), Osci.XENC, "CipherValue");
        Element include = Osci.required(cipherValue, Osci.XOP, "Include");
        String cid = OsciClient.bare(include.getAttribute("href"));
        OsciAnswer.Part part = answer.part(cid).orElseThrow(() -> new Quarantine("delivery " + mid + ": attachment "
                + id + " refers to MTOM part cid:" + cid + ", which the answer does not carry"));
        Path file = client.newSpoolFile();
        files.add(file);
        XmlSecurityException last = null;
        for (PrivateKeyHandle key : keys) {
            try (InputStream raw = part.open();
                 DigestingStreams.In ciphertext = new DigestingStreams.In(raw, size,
                         "attachment " + id + " has more encrypted bytes than its signed Size " + size);
                 InputStream decrypted = crypto.xmlDecryptor().decryptBinary(ciphertext, method, encryptedKeys, key);
                 OutputStream out = Files.newOutputStream(file)) {
                DigestingStreams.Out plainOut = new DigestingStreams.Out(out);
                decrypted.transferTo(plainOut);
                ciphertext.transferTo(OutputStream.nullOutputStream()); // nothing may follow the tag unhashed
                if (ciphertext.count() != size) {
                    throw new Quarantine("delivery " + mid + ": attachment " + id + " has " + ciphertext.count()
                            + " encrypted bytes, the origin signature says " + size);
                }
                if (!ciphertext.digest().equals(digest)) {
                    throw new Quarantine("delivery " + mid + ": the SHA-256 of attachment " + id + "'s encrypted"
                            + " bytes does not match the Digest the origin signature covers");
                }
                plain.put(id, file);
                plainSizes.put(id, new long[] {plainOut.count()});
                plainDigests.put(id, plainOut.digest());
                return;
            } catch (XmlSecurityException e) {
                if (e.reason() != XmlSecurityException.Reason.RECIPIENT_NOT_FOUND) {
                    throw new Quarantine("delivery " + mid + ": attachment " + id + " cannot be decrypted: "
                            + e.getMessage(), e);
                }
                last = e;
            } catch (IOException e) {
                throw new Quarantine("delivery " + mid + ": attachment " + id + " cannot be decrypted: "
                        + e.getMessage(), e);
            }
        }
        throw new Quarantine("delivery " + mid + ": attachment " + id + " is not encrypted for the keys of the"
                + " mailbox's participant" + (last == null ? "" : ": " + last.getMessage()));
    }

    private DecryptedXml decrypt(Element encryptedData, List<PrivateKeyHandle> keys, String what) throws Quarantine {
        XmlSecurityException last = null;
        for (PrivateKeyHandle key : keys) {
            try {
                return crypto.xmlDecryptor().decrypt(encryptedData, key);
            } catch (XmlSecurityException e) {
                if (e.reason() != XmlSecurityException.Reason.RECIPIENT_NOT_FOUND) {
                    throw new Quarantine(what + " cannot be decrypted: " + e.getMessage(), e);
                }
                last = e;
            } catch (IllegalStateException e) {
                throw new Quarantine(what + " is not one element: " + e.getMessage(), e);
            }
        }
        throw new Quarantine(what + " is not encrypted for our key (encrypted for another key?)"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private VerifiedXml verify(Document document, ElementPath root, String what) throws Quarantine {
        try {
            return crypto.xmlVerifier(CertificateUsage.MESSAGE_SIGNATURE).idAttributes(Osci.ID).verify(document,
                    SignatureExpectation.element(root).signatureAt(root.child(Osci.DS, "Signature")));
        } catch (XmlSecurityException e) {
            throw new Quarantine("the " + what + " is refused (" + e.reason() + "): " + e.getMessage(), e);
        }
    }

    private MailboxEntry lookupOriginator(String originator, String mid) throws Quarantine, TransportException {
        try {
            return directory.lookup(originator);
        } catch (UnknownMailboxException e) {
            throw new Quarantine("delivery " + mid + ": " + e.getMessage() + " (originator)");
        } catch (DirectoryException e) {
            throw new TransientTransportException(e.getMessage(), e);
        }
    }

    private MailboxEntry lookup(String id) throws TransportException {
        try {
            return directory.lookup(id);
        } catch (UnknownMailboxException e) {
            throw new PermanentTransportException(e.getMessage() + " (the gateway's own mailbox)");
        } catch (DirectoryException e) {
            throw new TransientTransportException(e.getMessage(), e);
        }
    }

    private static void sign(OsciRequest request, XmlSigner signer) throws PermanentTransportException {
        try {
            request.sign(signer);
        } catch (XmlSecurityException e) {
            throw new PermanentTransportException("the " + request.operation() + " request cannot be signed: "
                    + e.getMessage(), e);
        }
    }
}
