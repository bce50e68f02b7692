package de.amtsbote.sandbox.osci;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.GeneratedPki;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.PkiPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A sandbox OSCI PKI in a directory, generated at first use and reused after (crypto's {@link GeneratedPki}): the
 * "Sandbox OSCI root" CA ({@code ca.pem}, the trust anchor of everything below), per intermediary a certificate of
 * profile INTERMEDIARY ({@code intermediary-<name>.pem} / {@code .key.pem}), per mailbox an encryption, a signature
 * and (beBPo) an origin certificate ({@code mb-<id in lower case>.encryption.pem}, {@code .signature.pem},
 * {@code .origin.pem}). EC P-256 keys. Test and demo material only: keys are unencrypted PEM files.
 */
public final class OsciPki {

    public static final String ROOT_NAME = "Sandbox OSCI root";
    private static final KeySpec KEY = KeySpec.ec("P-256");

    /** A certificate file (the chain, leaf first) and its key file. */
    public record Pair(Path certificate, Path key) {
    }

    private final Path dir;
    private final Clock clock;
    private final GeneratedPki root;

    private OsciPki(Path dir, Clock clock, GeneratedPki root) {
        this.dir = dir;
        this.clock = clock;
        this.root = root;
    }

    /** Loads the PKI in {@code dir}, creating the root if it is not there. */
    public static OsciPki generateOrLoad(Path dir, Clock clock) throws IOException {
        try {
            return new OsciPki(dir, clock, GeneratedPki.generateOrLoad(dir, new PkiPlan(ROOT_NAME, KEY), clock));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create or load the sandbox OSCI PKI in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** The root certificate: the trust anchor for every certificate of this PKI. */
    public Path anchorFile() {
        return root.anchorFile();
    }

    /** The CA, to issue more (an expired certificate for a test, a second key of a mailbox). */
    public CertificateAuthority authority() {
        return root.authority();
    }

    /** The intermediary's certificate (profile INTERMEDIARY: signs process cards, decrypts usage data). */
    public Pair intermediary(String name) throws IOException {
        return ensure("intermediary-" + name.toLowerCase(Locale.ROOT), "OSCI Intermediary " + name,
                CertificateProfile.INTERMEDIARY);
    }

    public Pair encryption(String mailboxId) throws IOException {
        return ensure(stem(mailboxId) + ".encryption", mailboxId, CertificateProfile.ENCRYPTION);
    }

    public Pair signature(String mailboxId) throws IOException {
        return ensure(stem(mailboxId) + ".signature", mailboxId, CertificateProfile.SIGNING);
    }

    /** The VHN (origin) certificate of a beBPo mailbox. */
    public Pair origin(String mailboxId) throws IOException {
        return ensure(stem(mailboxId) + ".origin", "VHN " + mailboxId, CertificateProfile.SIGNING);
    }

    private static String stem(String mailboxId) {
        String s = "mb-" + mailboxId.toLowerCase(Locale.ROOT);
        if (s.length() > 60) {
            byte[] h = Osci.sha256().digest(mailboxId.getBytes(StandardCharsets.UTF_8));
            s = "mb-" + HexFormat.of().formatHex(h, 0, 16);
        }
        return s;
    }

    private Pair ensure(String name, String commonName, CertificateProfile profile) throws IOException {
        try {
            GeneratedPki pki = GeneratedPki.generateOrLoad(dir, new PkiPlan(ROOT_NAME, KEY)
                    .add(name, commonName, profile, KEY), clock);
            return new Pair(pki.certificateFile(name), pki.keyFile(name));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue the sandbox OSCI certificate " + name + ": " + e.getMessage(), e);
        }
    }
}
