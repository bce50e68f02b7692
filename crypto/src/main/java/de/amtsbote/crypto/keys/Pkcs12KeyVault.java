package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.Providers;
import de.amtsbote.crypto.keys.KeyVaultException.Reason;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Keys in a PKCS#12 file, for installations without a hardware token. Keys are generated in process memory and
 * written straight into the file; each private key is encrypted with AES-256 under a key derived with
 * PBKDF2-HMAC-SHA-256 from the vault password, and the file carries a SHA-256 integrity MAC (checked on every read
 * and write, see {@link Pkcs12Protection}). The password comes from a {@link SecretSource}; it should be long and
 * random (a generated secret file), since anyone holding the file can try passwords offline.
 *
 * <p>The key ledger lives beside the file ({@code <file>.ledger}). Files are replaced atomically and created readable
 * by their owner only.
 */
public final class Pkcs12KeyVault extends LedgerKeyVault {

    /** A new vault's password needs at least this many characters. */
    public static final int MIN_PASSWORD_LENGTH = 16;

    private static final String KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final SecretSource passwordSource;
    private char[] password;
    private KeyStore store;
    private Object storeVersion;

    private Pkcs12KeyVault(Path file, SecretSource passwordSource, char[] password, KeyLedger ledger,
                           AlgorithmPolicy policy, Clock clock) {
        super(ledger, policy, clock);
        this.file = file;
        this.passwordSource = passwordSource;
        this.password = password;
    }

    /** Creates a new, empty vault file; refuses if the file exists or the password is short. */
    public static Pkcs12KeyVault create(Path file, SecretSource password, AlgorithmPolicy policy, Clock clock)
            throws KeyVaultException {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new KeyVaultException(Reason.STORE_FAILURE, "PKCS#12 file " + target + " exists already; open it");
        }
        if (Files.exists(ledgerFile(target))) {
            throw new KeyVaultException(Reason.STORE_FAILURE, "the key ledger " + ledgerFile(target) + " of an earlier"
                    + " vault exists; move it away before creating a new vault " + target);
        }
        char[] secret = password.read();
        if (secret.length < MIN_PASSWORD_LENGTH) {
            Arrays.fill(secret, '\0');
            throw new KeyVaultException(Reason.WEAK_SECRET, "the password from " + password + " has fewer than "
                    + MIN_PASSWORD_LENGTH + " characters; a key store password should be random, e.g. "
                    + "'openssl rand -base64 32'");
        }
        Pkcs12KeyVault vault = new Pkcs12KeyVault(target, password, secret, KeyLedger.open(ledgerFile(target),
                "PKCS#12 file " + target), policy, clock);
        try {
            vault.store = KeyStore.getInstance("PKCS12", "SUN");
            vault.store.load(null, null);
            vault.persist();
            return vault;
        } catch (GeneralSecurityException | IOException e) {
            vault.forgetSecrets();
            throw new KeyVaultException(Reason.STORE_FAILURE, "cannot create a PKCS#12 key store: " + e.getMessage(),
                    e);
        } catch (KeyVaultException | RuntimeException e) {
            vault.forgetSecrets();
            throw e;
        }
    }

    /** Opens an existing vault file. */
    public static Pkcs12KeyVault open(Path file, SecretSource password, AlgorithmPolicy policy, Clock clock)
            throws KeyVaultException {
        Path target = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(target)) {
            throw new KeyVaultException(Reason.STORE_UNAVAILABLE, "PKCS#12 file " + target + " does not exist");
        }
        char[] secret = password.read();
        try {
            Pkcs12KeyVault vault = new Pkcs12KeyVault(target, password, secret, KeyLedger.open(ledgerFile(target),
                    "PKCS#12 file " + target), policy, clock);
            vault.reload();
            vault.requireLedgerKeysInStore();
            return vault;
        } catch (KeyVaultException | RuntimeException e) {
            Arrays.fill(secret, '\0');
            throw e;
        }
    }

    /** Where the key ledger of a vault file lives: beside it, named {@code <file>.ledger}. */
    public static Path ledgerFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".ledger");
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean hardware() {
        return false;
    }

    // ------------------------------------------------------------------ store

    @Override
    void refreshStore(boolean ledgerChanged) throws KeyVaultException {
        if (!Objects.equals(version(), storeVersion)) {
            reload();
        }
    }

    @Override
    boolean storeContains(String alias) throws KeyVaultException {
        try {
            return store.containsAlias(alias);
        } catch (GeneralSecurityException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    PublicKey generateInStore(String alias, KeyPurpose purpose, KeySpec spec) throws CryptoException {
        KeyPair pair;
        try {
            pair = spec.generate();
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException(Reason.STORE_FAILURE, "cannot generate a " + spec + " key: " + e.getMessage(),
                    e);
        }
        PrivateKey key = pair.getPrivate();
        X509Certificate placeholder = placeholder(alias, pair.getPublic(), (s, data) -> {
            try {
                Signature signature = JcaNames.signature(s, Providers.bouncyCastle());
                signature.initSign(key);
                signature.update(data);
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new KeyOperationException("new key " + alias + " could not sign its placeholder: "
                        + e.getMessage(), e);
            }
        });
        setEntry(alias, key, List.of(placeholder));
        return placeholder.getPublicKey();
    }

    @Override
    List<X509Certificate> storedChain(String alias) throws KeyVaultException {
        try {
            Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias) : null;
            if (chain == null) {
                return null;
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : chain) {
                certificates.add((X509Certificate) c);
            }
            return List.copyOf(certificates);
        } catch (GeneralSecurityException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    void storeChain(String alias, List<X509Certificate> chain) throws KeyVaultException {
        setEntry(alias, privateKey(alias), chain);
    }

    @Override
    PrivateKeyHandle loadHandle(KeyRef ref, List<X509Certificate> chain) throws KeyVaultException {
        PrivateKey key = privateKey(ref.id());
        try {
            // Bouncy Castle does the operations; it also knows the brainpool curves newer JDKs dropped
            PrivateKey bcKey = (PrivateKey) KeyFactory.getInstance(key.getAlgorithm(), Providers.bouncyCastle())
                    .translateKey(key);
            return new SoftwareKeyHandle(ref, bcKey, chain);
        } catch (GeneralSecurityException e) {
            throw failure("cannot use key " + ref + " of", e);
        }
    }

    @Override
    String describe() {
        return "PKCS#12 file " + file;
    }

    @Override
    void forgetSecrets() {
        Arrays.fill(password, '\0');
        store = null;
    }

    // ------------------------------------------------------------------ internals

    private PrivateKey privateKey(String alias) throws KeyVaultException {
        try {
            Key key = store.getKey(alias, password);
            if (!(key instanceof PrivateKey)) {
                throw new KeyVaultException(Reason.STORE_FAILURE, describe() + " holds no private key " + alias);
            }
            return (PrivateKey) key;
        } catch (UnrecoverableKeyException e) {
            throw new KeyVaultException(Reason.WRONG_SECRET, "the password from " + passwordSource
                    + " does not decrypt key " + alias + " in " + describe(), e);
        } catch (GeneralSecurityException e) {
            throw failure("cannot read key " + alias + " of", e);
        }
    }

    private void setEntry(String alias, PrivateKey key, List<X509Certificate> chain) throws KeyVaultException {
        try {
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            RANDOM.nextBytes(salt);
            RANDOM.nextBytes(iv);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password, KEY_PROTECTION,
                    new PBEParameterSpec(salt, Pkcs12Protection.MIN_ITERATIONS, new IvParameterSpec(iv)));
            store.setEntry(alias, new KeyStore.PrivateKeyEntry(key, chain.toArray(new Certificate[0])), protection);
            persist();
        } catch (GeneralSecurityException e) {
            storeVersion = null; // the file is the truth: read it again before the next use
            throw failure("cannot write key " + alias + " to", e);
        } catch (KeyVaultException e) {
            storeVersion = null;
            throw e;
        }
    }

    private void persist() throws KeyVaultException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            byte[] bytes = out.toByteArray();
            // refuse to write weaker protection than we read (a keystore.pkcs12.legacy property would bring SHA-1)
            Pkcs12Protection.check(bytes, "the PKCS#12 data about to be written to " + file);
            AtomicFiles.write(file, bytes);
            storeVersion = version();
        } catch (GeneralSecurityException | IOException e) {
            throw failure("cannot write", e);
        }
    }

    private void reload() throws KeyVaultException {
        try {
            Object versionBefore = version();
            byte[] bytes = Files.readAllBytes(file);
            KeyStore loaded = KeyStore.getInstance("PKCS12", "SUN");
            try {
                loaded.load(new ByteArrayInputStream(bytes), password);
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new KeyVaultException(Reason.WRONG_SECRET, "the password from " + passwordSource
                            + " does not open " + describe() + " (its integrity check fails)", e);
                }
                throw failure("cannot read", e);
            }
            Pkcs12Protection.check(bytes, describe());
            store = loaded;
            storeVersion = versionBefore;
        } catch (NoSuchFileException e) {
            throw new KeyVaultException(Reason.STORE_UNAVAILABLE, describe() + " does not exist", e);
        } catch (IOException | GeneralSecurityException e) {
            throw failure("cannot read", e);
        }
    }

    private Object version() throws KeyVaultException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot read", e);
        }
    }

    private KeyVaultException failure(String what, Exception e) {
        return new KeyVaultException(Reason.STORE_FAILURE, what + " " + describe() + ": " + e.getMessage(), e);
    }
}
