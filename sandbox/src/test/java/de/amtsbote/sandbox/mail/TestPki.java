package de.amtsbote.sandbox.mail;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyRef;
import de.amtsbote.crypto.keys.SoftwareKeyHandle;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.PkiPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The test PKI, generated once per JVM at run time into a temporary directory (no key material in the repository):
 * the peers' certificates, a gateway participant's signing and encryption certificates under the same CA, and a
 * stranger under a CA nobody trusts. Mostly EC keys (fast); the mail authority has RSA-3072 so both key management
 * schemes (RSAES-OAEP, ECDH) are exercised.
 */
final class TestPki {

    static final String AUTHORITY = "poststelle@viernheim.example";
    static final String CITIZEN = "erika.mustermann@example.org";
    /** A gateway participant's S/MIME address. */
    static final String PARTICIPANT = "stadt-bad-vilbel@amtsbote.example";

    private static TestPki instance;

    final Path dir;
    final GeneratedPki pki;
    final GeneratedPki strangers;

    private TestPki(Path dir, GeneratedPki pki, GeneratedPki strangers) {
        this.dir = dir;
        this.pki = pki;
        this.strangers = strangers;
    }

    static synchronized TestPki get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("mail-peers-pki");
                GeneratedPki pki = GeneratedPki.generateOrLoad(dir.resolve("trusted"),
                        new PkiPlan("Sandbox Test CA", KeySpec.ec("P-256"))
                                .add("authority", "Stadt Viernheim", CertificateProfile.SIGNING_AND_ENCRYPTION,
                                        KeySpec.rsa(3072), AUTHORITY)
                                .add("citizen", "Erika Mustermann", CertificateProfile.SIGNING_AND_ENCRYPTION,
                                        KeySpec.ec("brainpoolP256r1"), CITIZEN)
                                .add("participant-signing", "Magistrat der Stadt Bad Vilbel", CertificateProfile.SIGNING,
                                        KeySpec.ec("P-256"), PARTICIPANT)
                                .add("participant-encryption", "Magistrat der Stadt Bad Vilbel",
                                        CertificateProfile.ENCRYPTION, KeySpec.ec("P-256"), PARTICIPANT),
                        Clock.systemUTC());
                GeneratedPki strangers = GeneratedPki.generateOrLoad(dir.resolve("strangers"),
                        new PkiPlan("Unknown CA", KeySpec.ec("P-256"))
                                .add("stranger", "Mallory", CertificateProfile.SIGNING_AND_ENCRYPTION,
                                        KeySpec.ec("P-256"), PARTICIPANT),
                        Clock.systemUTC());
                instance = new TestPki(dir, pki, strangers);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate the test PKI", e);
            }
        }
        return instance;
    }

    Path anchor() {
        return pki.anchorFile();
    }

    /** A key handle for an entry of the trusted PKI, as the gateway would hold its participant's key. */
    SoftwareKeyHandle key(String name, KeyPurpose purpose) throws IOException {
        return new SoftwareKeyHandle(new KeyRef("test", purpose, name), pki.privateKey(name), pki.chain(name));
    }

    SoftwareKeyHandle strangerKey() throws IOException {
        return new SoftwareKeyHandle(new KeyRef("test", KeyPurpose.SIGNING, "stranger"), strangers.privateKey("stranger"),
                strangers.chain("stranger"));
    }

    MailPeerConfig.Builder peer(String address, String entry) {
        return MailPeerConfig.builder(address).password("secret-" + entry).certificate(pki.certificateFile(entry))
                .key(pki.keyFile(entry));
    }
}
