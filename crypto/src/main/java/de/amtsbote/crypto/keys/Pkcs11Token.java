package de.amtsbote.crypto.keys;

import de.amtsbote.crypto.keys.KeyVaultException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One PKCS#11 token as the JDK's SunPKCS11 reaches it, logged in with the PIN. SunPKCS11 takes the attributes of keys
 * it generates or derives from its configuration, not from the caller, so the token is reached through a few provider
 * instances that differ only in those templates:
 * <ul>
 *   <li>{@code signing}: private keys that sign and cannot decrypt, unwrap or derive — it also performs every
 *       operation on existing keys;</li>
 *   <li>{@code encryption}: private keys that decrypt (RSA) or derive (ECDH), and sign only their certificate
 *       request;</li>
 *   <li>{@code derive-N}: ECDH into a session secret of exactly N bytes that may be read out. SoftHSM needs the
 *       length ({@code CKA_VALUE_LEN}) and SunPKCS11 does not pass one, and a shorter length silently truncates Z,
 *       so there is one such instance per field size.</li>
 * </ul>
 * Every private key is generated on the token as a token object, sensitive and never extractable. PKCS#11 login state
 * belongs to the process, so all instances share the one login.
 */
final class Pkcs11Token {

    private static final String PRIVATE_KEYS = ""
            + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
            + "  CKA_TOKEN = true\n"
            + "  CKA_PRIVATE = true\n"
            + "  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n"
            + "}\n";
    private static final String SIGNING_KEYS = PRIVATE_KEYS
            + "attributes(generate, CKO_PRIVATE_KEY, CKK_RSA) = {\n"
            + "  CKA_SIGN = true\n"
            + "  CKA_DECRYPT = false\n"
            + "  CKA_UNWRAP = false\n"
            + "}\n"
            + "attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {\n"
            + "  CKA_SIGN = true\n"
            + "  CKA_DECRYPT = false\n"
            + "  CKA_UNWRAP = false\n"
            + "  CKA_DERIVE = false\n"
            + "}\n";
    private static final String ENCRYPTION_KEYS = PRIVATE_KEYS
            + "attributes(generate, CKO_PRIVATE_KEY, CKK_RSA) = {\n"
            + "  CKA_SIGN = true\n"
            + "  CKA_DECRYPT = true\n"
            + "  CKA_UNWRAP = false\n"
            + "}\n"
            + "attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {\n"
            + "  CKA_SIGN = true\n"
            + "  CKA_DECRYPT = false\n"
            + "  CKA_UNWRAP = false\n"
            + "  CKA_DERIVE = true\n"
            + "}\n";

    private final Pkcs11Config config;
    private final SecretSource pinSource;
    private final char[] pin;
    private final Map<String, Provider> providers = new HashMap<>();
    private final Map<String, KeyStore> stores = new HashMap<>();
    private final Set<String> stale = new HashSet<>();

    private Pkcs11Token(Pkcs11Config config, SecretSource pinSource, char[] pin) {
        this.config = config;
        this.pinSource = pinSource;
        this.pin = pin;
    }

    /** Loads the module, finds the slot and logs in. */
    static Pkcs11Token login(Pkcs11Config config, SecretSource pinSource) throws KeyVaultException {
        if (!Files.isRegularFile(config.library())) {
            throw new KeyVaultException(Reason.STORE_UNAVAILABLE, "the PKCS#11 library " + config.library()
                    + " of " + config.describe() + " does not exist");
        }
        Pkcs11Token token = new Pkcs11Token(config, pinSource, pinSource.read());
        token.operationsStore();
        return token;
    }

    String describe() {
        return config.describe();
    }

    /** The instance that performs operations with existing keys. */
    synchronized Provider operations() throws KeyVaultException {
        return provider("signing", SIGNING_KEYS);
    }

    synchronized KeyStore operationsStore() throws KeyVaultException {
        return store("signing", SIGNING_KEYS);
    }

    /** The instance whose templates fit keys of this purpose. */
    synchronized Provider generator(KeyPurpose purpose) throws KeyVaultException {
        return purpose == KeyPurpose.ENCRYPTION ? provider("encryption", ENCRYPTION_KEYS) : operations();
    }

    /** The key store of {@link #generator}: a key is stored through the instance that generated it. */
    synchronized KeyStore generatorStore(KeyPurpose purpose) throws KeyVaultException {
        return purpose == KeyPurpose.ENCRYPTION ? store("encryption", ENCRYPTION_KEYS) : operationsStore();
    }

    /** The instance that derives ECDH secrets of exactly {@code secretLength} bytes. */
    synchronized Provider derivation(int secretLength) throws KeyVaultException {
        return provider("derive-" + secretLength, derivationTemplate(secretLength));
    }

    /** The private key under {@code alias} as the derivation instance for {@code secretLength} sees it. */
    synchronized PrivateKey derivationKey(String alias, int secretLength) throws KeyVaultException {
        KeyStore store = store("derive-" + secretLength, derivationTemplate(secretLength));
        try {
            Key key = store.getKey(alias, null);
            if (!(key instanceof PrivateKey)) {
                throw new KeyVaultException(Reason.STORE_FAILURE, describe() + " holds no private key " + alias);
            }
            return (PrivateKey) key;
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException(Reason.STORE_FAILURE, "cannot read key " + alias + " from " + describe()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Something was written to the token: every instance's view of its objects is read again before next use. */
    synchronized void changed() {
        stale.addAll(stores.keySet());
    }

    synchronized void forgetPin() {
        Arrays.fill(pin, '\0');
    }

    private static String derivationTemplate(int secretLength) {
        return "attributes(generate, CKO_SECRET_KEY, CKK_GENERIC_SECRET) = {\n"
                + "  CKA_TOKEN = false\n"
                + "  CKA_VALUE_LEN = " + secretLength + "\n"
                + "  CKA_SENSITIVE = false\n"
                + "  CKA_EXTRACTABLE = true\n"
                + "}\n";
    }

    private Provider provider(String variant, String template) throws KeyVaultException {
        Provider provider = providers.get(variant);
        if (provider != null) {
            return provider;
        }
        Provider sunPkcs11 = Security.getProvider("SunPKCS11");
        if (sunPkcs11 == null) {
            throw new KeyVaultException(Reason.STORE_UNAVAILABLE, "this Java runtime has no SunPKCS11 provider "
                    + "(module jdk.crypto.cryptoki), needed for " + describe());
        }
        String text = "--name = Amtsbote-" + config.name() + "-" + variant + "\n"
                + "library = " + config.library() + "\n"
                + (config.slot() != null ? "slot = " + config.slot() : "slotListIndex = " + config.slotListIndex())
                + "\n" + template;
        try {
            provider = sunPkcs11.configure(text);
        } catch (InvalidParameterException | ProviderException e) {
            throw new KeyVaultException(Reason.STORE_UNAVAILABLE, describe() + " cannot be used: " + causes(e), e);
        }
        providers.put(variant, provider);
        return provider;
    }

    private KeyStore store(String variant, String template) throws KeyVaultException {
        KeyStore store = stores.get(variant);
        if (store != null && !stale.contains(variant)) {
            return store;
        }
        try {
            if (store == null) {
                store = KeyStore.getInstance("PKCS11", provider(variant, template));
            }
            store.load(null, pin);
        } catch (IOException e) {
            String codes = causes(e);
            if (codes.contains("CKR_PIN")) {
                throw new KeyVaultException(Reason.WRONG_SECRET, describe() + " refused the PIN from " + pinSource
                        + " (" + codes.substring(codes.indexOf("CKR_PIN")).split("[^A-Z_]")[0] + ")", e);
            }
            throw new KeyVaultException(Reason.STORE_UNAVAILABLE, "cannot log in to " + describe() + ": " + codes, e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException(Reason.STORE_UNAVAILABLE, "cannot open " + describe() + ": " + causes(e), e);
        }
        stores.put(variant, store);
        stale.remove(variant);
        return store;
    }

    /** The messages of an exception and its causes: SunPKCS11 puts the PKCS#11 return code in the innermost. */
    static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !b.toString().contains(t.getMessage())) {
                b.append(b.length() == 0 ? "" : " / ").append(t.getMessage());
            } else if (t.getCause() == null && t.getMessage() == null) {
                b.append(b.length() == 0 ? "" : " / ").append(t.getClass().getSimpleName());
            }
        }
        return b.toString();
    }
}
