package de.amtsbote.sandbox.demail;

import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.PkiPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Two sandbox DMDAs as a gateway test sees them: dmda-a hosts the gateway's institutional account (a public body)
 * and a second account that is not one; dmda-b hosts citizens' mailboxes. The PKI is generated into a fresh directory.
 */
final class DeMailWorld implements AutoCloseable {

    static final String GATEWAY = "poststelle@bad-vilbel.de-mail.de";
    static final String PSEUDONYM = "pn_amt@bad-vilbel.de-mail.de";
    static final String CLUB = "verein@dmda-a.de-mail.de";
    static final String ERIKA = "erika.mustermann@dmda-b.de-mail.de";
    static final String MAX = "max.mustermann@dmda-b.de-mail.de";
    static final String CLOSED = "alt.konto@dmda-b.de-mail.de";
    static final long LIMIT = 64 * 1024;

    final Path dir;
    final DeMailPki pki;
    /** End-to-end keys of mailboxes, from a separate participant CA (the E2E trust anchor). */
    final GeneratedPki e2e;
    final DeMailProviders demail;

    DeMailWorld(Path dir) throws IOException, GeneralSecurityException {
        this.dir = dir;
        Clock clock = Clock.systemUTC();
        pki = DeMailPki.generateOrLoad(dir.resolve("pki"), clock);
        pki.ensureClient("gateway");
        pki.ensureClient("verein");
        pki.ensureClient("stranger");
        e2e = GeneratedPki.generateOrLoad(dir.resolve("e2e"), new PkiPlan("E2E CA", KeySpec.ec("P-256"))
                .add("erika", "Erika Mustermann", CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ec("P-256"), ERIKA)
                .add("max", "Max Mustermann", CertificateProfile.SIGNING_AND_ENCRYPTION, KeySpec.ec("P-256"), MAX),
                clock);
        ProviderConfig a = ProviderConfig.builder("dmda-a", "dmda-a.de-mail.de").domain("bad-vilbel.de-mail.de")
                .pki(pki)
                .account(AccountConfig.builder("amtsbote").holder("Stadt Bad Vilbel").publicBody(true)
                        .clientCertificate(pki.clientCertificate("gateway")).address(GATEWAY).address(PSEUDONYM).build())
                .account(AccountConfig.builder("verein").holder("Heimatverein e.V.")
                        .clientFingerprint(DeMailProvider.fingerprint(de.amtsbote.crypto.pki.Pem
                                .readCertificates(pki.clientCertificate("verein")).get(0)))
                        .address(CLUB).build())
                .build();
        ProviderConfig b = ProviderConfig.builder("dmda-b", "dmda-b.de-mail.de").pki(pki)
                .mailbox(MailboxConfig.builder(ERIKA).holder("Erika Mustermann").password("erika")
                        .encryption(e2e.certificateFile("erika"), e2e.keyFile("erika")).build())
                .mailbox(MailboxConfig.builder(MAX).holder("Max Mustermann").password("max")
                        .secureLogin(SecureLoginTimer.parse("after:300ms"))
                        .encryption(e2e.certificateFile("max"), e2e.keyFile("max")).build())
                .mailbox(MailboxConfig.builder(CLOSED).holder("Alt").closed(true).build())
                .build();
        demail = DeMailProviders.start(DeMailConfig.builder(dir.resolve("data")).maxMessageBytes(LIMIT)
                .trustAnchors(e2e.anchorFile()).provider(a).provider(b).clock(clock).build());
    }

    DeMailProvider a() {
        return demail.provider("dmda-a");
    }

    DeMailProvider b() {
        return demail.provider("dmda-b");
    }

    SmtpsClient connect(String client) throws IOException {
        return SmtpsClient.connect(a().smtpPort(), pki.clientCertificate(client), pki.clientKey(client),
                pki.anchorFile());
    }

    /** Polls until the condition holds; fails naming {@code what} after the timeout. */
    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        demail.close();
    }
}
