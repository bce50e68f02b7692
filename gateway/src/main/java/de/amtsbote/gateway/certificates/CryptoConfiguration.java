package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.Pkcs11Config;
import de.amtsbote.crypto.keys.Pkcs11KeyVault;
import de.amtsbote.crypto.keys.Pkcs12KeyVault;
import de.amtsbote.crypto.keys.SecretSource;
import de.amtsbote.crypto.policy.Algorithm;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.policy.PeerException;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Builds the crypto door from {@code amtsbote.crypto}: the algorithm policy, the certificate validator (on the
 * configured trust anchors and those added at run time, see {@link ReloadableCertificateValidator}) and the key
 * vault. Configuration errors stop the start with a message naming the key; a gateway without a key store runs, but
 * only channels without cryptography start.
 */
@Configuration
@EnableConfigurationProperties(CryptoProperties.class)
class CryptoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CryptoConfiguration.class);

    @Bean
    AlgorithmPolicy algorithmPolicy(CryptoProperties properties, Clock clock) {
        AlgorithmPolicy.Builder b = AlgorithmPolicy.builder().clock(clock);
        if (properties.refuseLegacyInbound()) {
            b.refuseLegacyInbound();
        }
        int i = 0;
        for (CryptoProperties.PeerExceptionEntry e : properties.peerExceptions()) {
            String where = "amtsbote.crypto.peer-exceptions[" + i++ + "]";
            Algorithm algorithm;
            try {
                algorithm = Algorithm.valueOf(String.valueOf(e.algorithm()).toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException(where + ".algorithm '" + e.algorithm() + "' is not an algorithm name"
                        + " (for example AES256_CBC, RSA_PKCS1_V15_SIGNATURE)");
            }
            try {
                b.peerException(new PeerException(e.peer(), algorithm, e.reason(), e.until()));
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw new IllegalStateException(where + ": " + ex.getMessage(), ex);
            }
        }
        return b.build();
    }

    @Bean
    ConfiguredTrustAnchors configuredTrustAnchors(CryptoProperties properties) {
        return ConfiguredTrustAnchors.read(properties.trustAnchors());
    }

    @Bean
    TrustAnchorStore trustAnchorStore(JdbcClient jdbc) {
        return new TrustAnchorStore(jdbc);
    }

    /**
     * The one certificate validator of the gateway. Everything that validates gets this bean (directly, or through the
     * crypto door); nothing else in the gateway builds a {@code PkixCertificateValidator} (TrustAnchorInjectionTest).
     */
    @Bean
    ReloadableCertificateValidator certificateValidator(CryptoProperties properties, AlgorithmPolicy policy,
                                                        Clock clock, ConfiguredTrustAnchors configured,
                                                        TrustAnchorStore store) {
        return validator(properties, policy, clock, configured, store);
    }

    /** A validator on the anchors of this configuration and database; a second one behaves like another node. */
    static ReloadableCertificateValidator validator(CryptoProperties properties, AlgorithmPolicy policy, Clock clock,
                                                    ConfiguredTrustAnchors configured, TrustAnchorStore store) {
        CryptoProperties.Revocation revocation = properties.revocation();
        URI ocsp = revocation.ocspResponder() == null || revocation.ocspResponder().isBlank() ? null
                : URI.create(revocation.ocspResponder());
        if (ocsp != null) {
            PkixCertificateValidator.builder().ocspResponder(ocsp); // a wrong URL stops the start, not a later rebuild
        }
        // one HTTP client for every generation of the validator, as a single validator would have
        HttpClient http = HttpClient.newBuilder().connectTimeout(revocation.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        return new ReloadableCertificateValidator(configured.certificates(), store, anchors -> {
            PkixCertificateValidator.Builder b = PkixCertificateValidator.builder().policy(policy).clock(clock)
                    .trustAnchors(anchors).revocation(revocation.sources()).httpClient(http)
                    .timeouts(revocation.connectTimeout(), revocation.requestTimeout());
            if (revocation.softFail()) {
                b.softFail();
            }
            revocation.crlFiles().forEach(b::crlFile);
            if (ocsp != null) {
                b.ocspResponder(ocsp);
            }
            return b.build();
        }, properties.trustAnchorCheckInterval());
    }

    @Bean
    KeyVaults keyVaults(CryptoProperties properties, AlgorithmPolicy policy, Clock clock) {
        return new KeyVaults(openVault(properties.keyStore(), policy, clock));
    }

    @Bean
    CryptoAccess cryptoAccess(KeyVaults vaults, AlgorithmPolicy policy, ReloadableCertificateValidator validator,
                              Clock clock) {
        // Configured or added at run time: at the first start the database is empty, so a new installation with a
        // key store still needs a configured anchor; later the anchors added in the console count too.
        if (vaults.vault().isPresent() && validator.trustAnchors().isEmpty()) {
            throw new IllegalStateException("no trust anchor: amtsbote.crypto.trust-anchors is empty and no trust"
                    + " anchor was added at run time; a key store without trusted certificate authorities could not"
                    + " verify any partner");
        }
        return new CryptoAccess(vaults.vault().map(v -> Crypto.of(policy, v, validator, clock)));
    }

    private static Optional<KeyVault> openVault(CryptoProperties.KeyStore store, AlgorithmPolicy policy, Clock clock) {
        if (store == null || store.type() == null || store.type().isBlank() || store.type().equals("none")) {
            log.info("no key store configured (amtsbote.crypto.key-store): channels that sign or encrypt cannot run");
            return Optional.empty();
        }
        try {
            switch (store.type().toLowerCase(Locale.ROOT)) {
                case "pkcs12": {
                    if (store.file() == null) {
                        throw new IllegalStateException("amtsbote.crypto.key-store.file is required for pkcs12");
                    }
                    SecretSource password = secret(store.passwordFile(), store.passwordEnv(), "password");
                    boolean exists = Files.exists(store.file());
                    if (!exists && !store.create()) {
                        throw new IllegalStateException("amtsbote.crypto.key-store.file " + store.file().toAbsolutePath()
                                + " does not exist (set key-store.create: true to create an empty one)");
                    }
                    KeyVault v = exists ? Pkcs12KeyVault.open(store.file(), password, policy, clock)
                            : Pkcs12KeyVault.create(store.file(), password, policy, clock);
                    log.info("key store: PKCS#12 file {}", store.file().toAbsolutePath());
                    return Optional.of(v);
                }
                case "pkcs11": {
                    if (store.library() == null || store.ledger() == null) {
                        throw new IllegalStateException("amtsbote.crypto.key-store.library and .ledger are required"
                                + " for pkcs11");
                    }
                    Pkcs11Config config = store.slot() != null
                            ? Pkcs11Config.slot("amtsbote", store.library(), store.slot())
                            : Pkcs11Config.slotListIndex("amtsbote", store.library(),
                                    store.slotListIndex() == null ? 0 : store.slotListIndex());
                    KeyVault v = Pkcs11KeyVault.open(config, secret(store.pinFile(), store.pinEnv(), "pin"),
                            store.ledger(), policy, clock);
                    log.info("key store: PKCS#11 token via {}", store.library());
                    return Optional.of(v);
                }
                default:
                    throw new IllegalStateException("amtsbote.crypto.key-store.type must be pkcs12, pkcs11 or none, got '"
                            + store.type() + "'");
            }
        } catch (de.amtsbote.crypto.CryptoException e) {
            throw new IllegalStateException("amtsbote.crypto.key-store: " + e.getMessage(), e);
        }
    }

    private static SecretSource secret(Path file, String env, String what) {
        if (file != null) {
            return SecretSource.file(file);
        }
        if (env != null && !env.isBlank()) {
            return SecretSource.environment(env);
        }
        throw new IllegalStateException("amtsbote.crypto.key-store needs " + what + "-file or " + what + "-env");
    }

    /** Holds the vault so that it is closed once, at shutdown. */
    static final class KeyVaults implements AutoCloseable {
        private final Optional<KeyVault> vault;

        KeyVaults(Optional<KeyVault> vault) {
            this.vault = vault;
        }

        Optional<KeyVault> vault() {
            return vault;
        }

        @Override
        public void close() {
            vault.ifPresent(KeyVault::close);
        }
    }
}
