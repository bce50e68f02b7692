package de.amtsbote.adapter.demail;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.IssuedCertificate;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import de.amtsbote.crypto.validation.RevocationSources;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.ChannelContext;
import de.amtsbote.spi.ChannelMemory;
import de.amtsbote.spi.ChannelSettings;
import de.amtsbote.spi.ContentSource;
import de.amtsbote.spi.DeliveryOption;
import de.amtsbote.spi.OutboundAttachment;
import de.amtsbote.spi.OutboundEnvelope;
import de.amtsbote.spi.testing.RecordingSink;
import de.amtsbote.spi.testing.TestDirectory;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Everything a De-Mail test talks to, real and on loopback: a De-Mail test PKI (root, provider signing certificates,
 * the provider's TLS server certificate), the gateway's key vault (its TLS client key, participants' keys), the
 * provider's SMTPS submission ({@link ProviderSmtp}) and IMAP mailboxes (GreenMail), and the adapter started on them.
 */
final class DeMailWorld implements AutoCloseable {

    static final String KREIS = "kreis";
    static final String KREIS_ADDRESS = "poststelle@kreis.de-mail.de";
    static final String PARTNER = "partner";
    static final String PARTNER_ADDRESS = "buergerbuero@stadt.de-mail.de";
    static final String ERIKA = "erika.mustermann@dmda-b.de-mail.de";
    static final String PSEUDONYM = "pn_amt@kreis.de-mail.de";

    final Path dir;
    final CertificateAuthority root;
    final TestProvider providerA;
    final TestProvider providerB;
    final KeyVault vault;
    final Crypto crypto;
    final ProviderSmtp smtp;
    final GreenMail greenMail;
    final GreenMailUser kreisMailbox;
    final RecordingSink sink = new RecordingSink();
    final TestDirectory directory = new TestDirectory();
    final ChannelMemory memory = ChannelMemory.inProcess();
    final DeMailAdapter adapter;

    DeMailWorld(Path dir) throws Exception {
        this.dir = dir;
        AlgorithmPolicy policy = AlgorithmPolicy.bsi();
        root = CertificateAuthority.root("De-Mail Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
        providerA = new TestProvider(root, "dmda-a.de-mail.de");
        providerB = new TestProvider(root, "dmda-b.de-mail.de");
        Path password = Files.writeString(dir.resolve("vault.secret"), "a test vault password, long enough");
        vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"), SecretSource.file(password), policy,
                Clock.systemUTC());
        certify(vault.generate(Crypto.GATEWAY, KeyPurpose.TLS, KeySpec.ec("P-256")), CertificateProfile.TLS_CLIENT);
        certify(vault.generate(KREIS, KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1")), CertificateProfile.SIGNING);
        certify(vault.generate(KREIS, KeyPurpose.ENCRYPTION, KeySpec.ec("brainpoolP256r1")),
                CertificateProfile.ENCRYPTION);
        certify(vault.generate(PARTNER, KeyPurpose.SIGNING, KeySpec.ec("P-256")), CertificateProfile.SIGNING);
        PkixCertificateValidator validator = PkixCertificateValidator.builder().trustAnchor(root.certificate())
                .policy(policy).revocation(RevocationSources.NONE).build();
        crypto = Crypto.of(policy, vault, validator, Clock.systemUTC());

        IssuedCertificate tls = root.issue(IssueRequest.named("smtp.dmda-a.de-mail.de")
                .profile(CertificateProfile.TLS_SERVER).key(KeySpec.ec("P-256")).ip("127.0.0.1"));
        smtp = new ProviderSmtp(tls.certificate(), tls.privateKey(), root.certificate());
        greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        greenMail.start();
        kreisMailbox = greenMail.setUser(KREIS_ADDRESS, "kreis", "imap secret");

        directory.participants.put(KREIS_ADDRESS, KREIS);
        directory.participants.put(PARTNER_ADDRESS, PARTNER);
        directory.participants.put(PSEUDONYM, "pseudonymous");
        directory.own.put(KREIS, KREIS_ADDRESS);
        directory.own.put(PARTNER, PARTNER_ADDRESS);
        directory.own.put("pseudonymous", PSEUDONYM);
        directory.certificates.put(KREIS_ADDRESS, crypto.decryptionKeys(KREIS).get(0).certificate());

        Path anchors = dir.resolve("demail-root.pem");
        Pem.writeCertificate(anchors, root.certificate());
        Path imapPassword = Files.writeString(dir.resolve("imap.secret"), "imap secret\n");
        Map<String, String> settings = new HashMap<>(Map.of(
                "submission.host", "127.0.0.1",
                "submission.port", Integer.toString(smtp.port()),
                "submission.trust-pem", anchors.toString(),
                "provider-trust-pem", anchors.toString(),
                "spool-dir", dir.resolve("spool").toString(),
                "imap.kreis.host", "127.0.0.1",
                "imap.kreis.port", Integer.toString(greenMail.getImap().getPort()),
                "imap.kreis.tls", "none",
                "imap.kreis.user", "kreis"));
        settings.put("imap.kreis.password-file", imapPassword.toString());
        settings.put("imap.kreis.address", KREIS_ADDRESS);
        settings.put("imap.kreis.idle", "false");
        adapter = (DeMailAdapter) new DeMailAdapterProvider().create(new ChannelSettings("demail", settings));
        adapter.start(new ChannelContext(sink, Clock.systemUTC(), "test-node", Optional.of(crypto), directory,
                memory));
    }

    /** A second adapter of the same gateway that submits to another port (another provider endpoint). */
    DeMailAdapter submittingTo(int port) throws Exception {
        Path anchors = dir.resolve("demail-root.pem");
        DeMailAdapter other = (DeMailAdapter) new DeMailAdapterProvider().create(new ChannelSettings("demail", Map.of(
                "submission.host", "127.0.0.1", "submission.port", Integer.toString(port),
                "submission.trust-pem", anchors.toString(), "provider-trust-pem", anchors.toString(),
                "spool-dir", dir.resolve("spool").toString())));
        other.start(new ChannelContext(sink, Clock.systemUTC(), "test-node", Optional.of(crypto), directory, memory));
        return other;
    }

    private void certify(KeyRef key, CertificateProfile profile) throws Exception {
        String csr = vault.csr(key, new CsrSubject("Amtsbote Test", null, List.of()));
        vault.importCertificate(key, root.certify(Pem.readCsr(new StringReader(csr)),
                IssueRequest.named(key.owner()).profile(profile)).chain());
    }

    static OutboundEnvelope envelope(String deliveryId, String sender, String from, String to,
                                     Set<DeliveryOption> options) {
        byte[] pdf = "%PDF-1.7\n% Bescheid\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        return new OutboundEnvelope("msg-" + deliveryId, deliveryId, 1, sender, new ChannelAddress("demail", from),
                new ChannelAddress("demail", to), "Bescheid über Ihren Antrag", text("Sehr geehrte Damen und Herren,\n"
                + "anbei der Bescheid.\n"), "AZ 2026-0815", options, List.of(new OutboundAttachment("bescheid.pdf",
                "application/pdf", pdf.length, "00", () -> new ByteArrayInputStream(pdf))));
    }

    static ContentSource text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return () -> new ByteArrayInputStream(b);
    }

    /** Puts a mail, exactly as given, into the participant's mailbox at the provider. */
    void deliverToKreis(byte[] mail) throws Exception {
        kreisMailbox.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail)));
    }

    @Override
    public void close() throws IOException {
        adapter.close();
        smtp.close();
        greenMail.stop();
        vault.close();
    }
}
