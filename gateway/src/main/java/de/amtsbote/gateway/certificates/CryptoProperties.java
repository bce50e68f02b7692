package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.validation.RevocationSources;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code amtsbote.crypto}: where the participants' keys are, which certificate authorities are trusted, how
 * revocation is checked, and the algorithm policy's exceptions (docs/crypto.md, docs/crypto-policy.md).
 *
 * <pre>
 * amtsbote:
 *   crypto:
 *     key-store:
 *       type: pkcs12                       # or pkcs11; unset: no key store, only channels without cryptography run
 *       file: ./data/keys/participants.p12
 *       password-file: /run/secrets/amtsbote-keystore   # or password-env: AMTSBOTE_KEYSTORE_PASSWORD
 *     trust-anchors: [ config/pki/verwaltungs-pki-root.pem ]   # more can be added at run time (console, API)
 *     trust-anchor-check-interval: 5s      # how soon a node notices anchors changed on another node
 *     revocation:
 *       sources: OCSP_THEN_CRL
 * </pre>
 */
@ConfigurationProperties("amtsbote.crypto")
public record CryptoProperties(KeyStore keyStore, @DefaultValue List<Path> trustAnchors,
                               @DefaultValue Revocation revocation,
                               @DefaultValue("false") boolean refuseLegacyInbound,
                               @DefaultValue List<PeerExceptionEntry> peerExceptions,
                               @DefaultValue("true") boolean learnPartnerCertificates,
                               @DefaultValue("5s") Duration trustAnchorCheckInterval) {

    /** The key store: a PKCS#12 file or a PKCS#11 token. Secrets come from a file or an environment variable. */
    public record KeyStore(String type, Path file, Path passwordFile, String passwordEnv, Path library, Integer slot,
                           Integer slotListIndex, Path pinFile, String pinEnv, Path ledger,
                           @DefaultValue("false") boolean create) {
    }

    /** How revocation is checked: fail-closed unless soft-fail is set explicitly. */
    public record Revocation(@DefaultValue("OCSP_THEN_CRL") RevocationSources sources,
                             @DefaultValue("false") boolean softFail, @DefaultValue List<Path> crlFiles,
                             String ocspResponder, @DefaultValue("5s") Duration connectTimeout,
                             @DefaultValue("10s") Duration requestTimeout) {
    }

    /** A dated permission to use a legacy algorithm towards one peer (docs/crypto-policy.md). */
    public record PeerExceptionEntry(String peer, String algorithm, String reason, LocalDate until) {
    }
}
