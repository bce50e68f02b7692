package de.amtsbote.adapter.bebpo;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.CsrSubject;
import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
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
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a beBPo test talks to, real and on loopback: a test PKI (root; the intermediary's certificate; the
 * partner court's signature and encryption certificates), the gateway's key vault with participant "amt" (SIGNING and
 * ENCRYPTION), the in-test intermediary and directory ({@link FakeIntermediary}), and the adapter started on them.
 */
final class BebpoWorld implements AutoCloseable {

    static final String AMT = "amt";
    static final String AMT_MAILBOX = "DE.BehoerdeBPo.0a1b2c3d-0000-4000-8000-000000000001";
    static final String COURT_MAILBOX = "DE.Justiz.5c1c2c4e-9f1e-4c5b-9d3a-0e4c1b2a7f60";

    final Path dir;
    final AlgorithmPolicy policy = AlgorithmPolicy.bsi();
    final CertificateAuthority root;
    final KeyVault vault;
    final Crypto crypto;
    final PrivateKeyHandle intermediaryKey;
    final PrivateKeyHandle courtSigning;
    final PrivateKeyHandle courtEncryption;
    final PrivateKeyHandle stranger;
    final FakeIntermediary intermediary;
    final RecordingSink sink = new RecordingSink();
    final TestDirectory parties = new TestDirectory();
    final ChannelMemory memory = ChannelMemory.inProcess();
    final BebpoAdapter adapter;

    BebpoWorld(Path dir) throws Exception {
        this(dir, Map.of());
    }

    BebpoWorld(Path dir, Map<String, String> extraSettings) throws Exception {
        this.dir = dir;
        root = CertificateAuthority.root("beBPo Test Root", KeySpec.ec("P-256"), Clock.systemUTC());
        Path password = Files.writeString(dir.resolve("vault.secret"), "a test vault password, long enough");
        vault = Pkcs12KeyVault.create(dir.resolve("keys.p12"), SecretSource.file(password), policy,
                Clock.systemUTC());
        certify(vault.generate(AMT, KeyPurpose.SIGNING, KeySpec.ec("brainpoolP256r1")), CertificateProfile.SIGNING);
        certify(vault.generate(AMT, KeyPurpose.ENCRYPTION, KeySpec.ec("brainpoolP256r1")),
                CertificateProfile.ENCRYPTION);
        PkixCertificateValidator validator = PkixCertificateValidator.builder().trustAnchor(root.certificate())
                .policy(policy).revocation(RevocationSources.NONE).build();
        crypto = Crypto.of(policy, vault, validator, Clock.systemUTC());

        intermediaryKey = handle("Test Intermediary", CertificateProfile.INTERMEDIARY, KeyPurpose.SIGNING);
        courtSigning = handle("Amtsgericht Musterstadt", CertificateProfile.SIGNING, KeyPurpose.SIGNING);
        courtEncryption = handle("Amtsgericht Musterstadt", CertificateProfile.ENCRYPTION, KeyPurpose.ENCRYPTION);
        stranger = handle("Somebody Else", CertificateProfile.SIGNING_AND_ENCRYPTION, KeyPurpose.SIGNING);

        intermediary = new FakeIntermediary(this);
        intermediary.addMailbox(AMT_MAILBOX, "Landkreis Beispiel", true,
                crypto.decryptionKeys(AMT).get(0).certificate(), signingCertificate(), signingCertificate());
        intermediary.addMailbox(COURT_MAILBOX, "Amtsgericht Musterstadt", false, courtEncryption.certificate(),
                courtSigning.certificate(), null);

        parties.own.put(AMT, AMT_MAILBOX);
        parties.participants.put(AMT_MAILBOX, AMT);

        Map<String, String> settings = new HashMap<>(Map.of(
                "directory-url", intermediary.directoryUrl(),
                "spool-dir", dir.resolve("spool").toString(),
                "receive-timeout", "5s",
                "mailbox.amt.id", AMT_MAILBOX,
                "mailbox.amt.participant", AMT,
                "process-card.batch-size", "10"));
        settings.putAll(extraSettings);
        adapter = (BebpoAdapter) new BebpoAdapterProvider().create(new ChannelSettings("bebpo", settings));
        adapter.start(new ChannelContext(sink, Clock.systemUTC(), "test-node", Optional.of(crypto), parties,
                memory));
    }

    X509Certificate signingCertificate() throws Exception {
        return vault.signingKey(AMT, KeyPurpose.SIGNING).certificate();
    }

    private PrivateKeyHandle handle(String name, CertificateProfile profile, KeyPurpose purpose) throws Exception {
        IssuedCertificate issued = root.issue(IssueRequest.named(name).profile(profile).key(KeySpec.ec("P-256")));
        return new SoftwareKeyHandle(new KeyRef("test", purpose,
                name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-" + profile.name().toLowerCase(java.util.Locale.ROOT)), issued.privateKey(),
                issued.chain());
    }

    private void certify(KeyRef key, CertificateProfile profile) throws Exception {
        String csr = vault.csr(key, new CsrSubject("Amtsbote Test", null, List.of()));
        vault.importCertificate(key, root.certify(Pem.readCsr(new StringReader(csr)),
                IssueRequest.named(key.owner()).profile(profile)).chain());
    }

    static OutboundEnvelope envelope(String deliveryId, String to, byte[]... attachments) {
        List<OutboundAttachment> parts = new java.util.ArrayList<>();
        for (int i = 0; i < attachments.length; i++) {
            byte[] bytes = attachments[i];
            parts.add(new OutboundAttachment("anlage-" + (i + 1) + ".pdf", "application/pdf", bytes.length, "00",
                    () -> new ByteArrayInputStream(bytes)));
        }
        return new OutboundEnvelope("msg-" + deliveryId, deliveryId, 1, AMT, new ChannelAddress("bebpo", AMT_MAILBOX),
                new ChannelAddress("bebpo", to), "Klage in Sachen Beispiel", text("Sehr geehrte Damen und Herren,\n"
                + "anbei die Klage.\n"), "AZ 2026-0815", Set.of(DeliveryOption.SIGN), parts);
    }

    static ContentSource text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return () -> new ByteArrayInputStream(b);
    }

    @Override
    public void close() {
        adapter.close();
        intermediary.close();
        vault.close();
    }
}
