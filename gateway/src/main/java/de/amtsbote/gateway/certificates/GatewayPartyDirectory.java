package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.CryptoException;
import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.participants.Participant;
import de.amtsbote.gateway.participants.ParticipantDirectory;
import de.amtsbote.gateway.participants.ParticipantProperties;
import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.PartyDirectory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The gateway's answer to the channels' {@link PartyDirectory}: its own participants from configuration and the
 * key store, partners' certificates from configuration, and partners' certificates learned from their mail.
 *
 * <p><b>The learning rule.</b> A certificate offered from a verified signed message is kept for later encryption
 * only if learning is on ({@code amtsbote.crypto.learn-partner-certificates}), the address is not one of our own
 * participants', the certificate names that very address (rfc822Name alternative name, compared without case), it
 * validates now for message encryption (trusted path, not revoked, key usage keyEncipherment or keyAgreement), and
 * the policy would encrypt for its key (RSA ≥ 3072, allowed curves). A configured certificate always wins; then one
 * a security officer imported ({@link CertificateInventory#importPartner}); among learned ones, the most recently seen
 * valid one is used.
 */
@Component
public class GatewayPartyDirectory implements PartyDirectory {

    private static final Logger log = LoggerFactory.getLogger(GatewayPartyDirectory.class);

    private final ParticipantDirectory participants;
    private final CryptoAccess crypto;
    private final CertificateValidator validator;
    private final AlgorithmPolicy policy;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final boolean learn;
    private final Map<ChannelAddress, List<X509Certificate>> configured = new HashMap<>();

    GatewayPartyDirectory(ParticipantDirectory participants, ParticipantProperties properties, CryptoAccess crypto,
                          CertificateValidator validator, AlgorithmPolicy policy, CryptoProperties cryptoProperties,
                          JdbcClient jdbc, Clock clock) {
        this.participants = participants;
        this.crypto = crypto;
        this.validator = validator;
        this.policy = policy;
        this.jdbc = jdbc;
        this.clock = clock;
        this.learn = cryptoProperties.learnPartnerCertificates();
        for (ParticipantProperties.Entry entry : properties.participants()) {
            for (Map.Entry<String, Path> file : entry.certificates().entrySet()) {
                Participant p = participants.find(entry.id()).orElseThrow();
                ChannelAddress address = p.addressOn(file.getKey()).orElseThrow(() -> new IllegalStateException(
                        "amtsbote.participants (" + entry.id() + ").certificates." + file.getKey()
                                + ": the participant has no address on channel " + file.getKey()));
                configured.put(address, readChain(entry.id(), file.getValue()));
            }
        }
    }

    @Override
    public Optional<String> participantAt(ChannelAddress address) {
        return own(address).map(Participant::id);
    }

    @Override
    public Optional<ChannelAddress> addressOf(String participant, String channel) {
        return participants.find(participant).flatMap(p -> p.addressOn(channel));
    }

    @Override
    public List<X509Certificate> encryptionCertificates(ChannelAddress address) {
        return chain(address).map(c -> List.of(c.get(0))).orElse(List.of());
    }

    @Override
    public List<X509Certificate> intermediates(ChannelAddress address) {
        return chain(address).map(c -> c.subList(1, c.size())).orElse(List.of());
    }

    @Override
    public void offer(ChannelAddress from, List<X509Certificate> chain) {
        if (!learn || chain.isEmpty() || own(from).isPresent() || configured.containsKey(from)) {
            return;
        }
        X509Certificate leaf = chain.get(0);
        if (!namesAddress(leaf, from.address())) {
            log.debug("not learning certificate {} for {}: it does not name that address",
                    leaf.getSubjectX500Principal(), from);
            return;
        }
        Instant now = clock.instant();
        ValidationResult v = validator.validate(leaf, chain.subList(1, chain.size()), CertificateUsage.MESSAGE_ENCRYPTION,
                now);
        if (!v.valid()) {
            log.debug("not learning certificate {} for {}: {}", leaf.getSubjectX500Principal(), from, v.detail());
            return;
        }
        try {
            policy.requireRecipientKey(leaf.getPublicKey(), from.toString());
        } catch (CryptoException e) {
            log.info("not learning certificate {} for {}: {}", leaf.getSubjectX500Principal(), from, e.getMessage());
            return;
        }
        String key = key(from);
        String fingerprint = fingerprint(leaf);
        int updated = jdbc.sql("update partner_certificate set last_seen = :now where address = :a and fingerprint = :f")
                .param("now", now.atOffset(ZoneOffset.UTC)).param("a", key).param("f", fingerprint).update();
        if (updated == 0) {
            jdbc.sql("insert into partner_certificate (address, fingerprint, chain_pem, not_after, first_seen, last_seen)"
                            + " values (:a, :f, :pem, :na, :now, :now)")
                    .param("a", key).param("f", fingerprint).param("pem", Pem.encode(chain.toArray()))
                    .param("na", leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))
                    .param("now", now.atOffset(ZoneOffset.UTC)).update();
            log.info("learned encryption certificate {} (serial {}) for {} from a verified signed message",
                    leaf.getSubjectX500Principal(), leaf.getSerialNumber().toString(16), from);
        }
    }

    private Optional<Participant> own(ChannelAddress address) {
        Optional<Participant> p = participants.byAddress(address)
                .or(() -> participants.byAddress(new ChannelAddress(address.channel(),
                        address.address().toLowerCase(Locale.ROOT))));
        return p.filter(Participant::own);
    }

    private Optional<List<X509Certificate>> chain(ChannelAddress address) {
        Optional<Participant> own = own(address);
        if (own.isPresent()) {
            return ownCertificate(own.get().id());
        }
        List<X509Certificate> c = configured.get(address);
        if (c != null) {
            return Optional.of(c);
        }
        // an officer's import wins over what was learned; among each, the most recently seen
        return jdbc.sql("select chain_pem from partner_certificate where address = :a and not_after > :now"
                        + " order by case when source = 'IMPORTED' then 0 else 1 end, last_seen desc")
                .param("a", key(address)).param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .query(String.class).list().stream().findFirst().map(GatewayPartyDirectory::parse);
    }

    private Optional<List<X509Certificate>> ownCertificate(String participant) {
        if (crypto.crypto().isEmpty()) {
            return Optional.empty();
        }
        try {
            List<PrivateKeyHandle> keys = crypto.crypto().get().decryptionKeys(participant);
            return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0).chain());
        } catch (CryptoException e) {
            log.warn("no encryption certificate of own participant {}: {}", participant, e.getMessage());
            return Optional.empty();
        }
    }

    /** The configured partner certificates, by address (certificate first, then its issuers). */
    Map<ChannelAddress, List<X509Certificate>> configured() {
        return java.util.Collections.unmodifiableMap(configured);
    }

    /** How an address is stored in {@code partner_certificate}: the channel, a colon, the address in lower case. */
    static String key(ChannelAddress address) {
        return address.channel() + ":" + address.address().toLowerCase(Locale.ROOT);
    }

    static boolean namesAddress(X509Certificate certificate, String address) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            return names.stream().anyMatch(n -> Integer.valueOf(1).equals(n.get(0))
                    && address.equalsIgnoreCase(String.valueOf(n.get(1))));
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return ContentDigester.hexOf(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static List<X509Certificate> parse(String pem) {
        try {
            return Pem.readCertificates(new StringReader(pem));
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("a stored partner certificate cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readChain(String participant, Path file) {
        try {
            return Pem.readCertificates(file);
        } catch (IOException e) {
            throw new UncheckedIOException("amtsbote.participants (" + participant + ").certificates: cannot read "
                    + file.toAbsolutePath(), e);
        } catch (CertificateException e) {
            throw new IllegalStateException("amtsbote.participants (" + participant + ").certificates: " + file
                    + " holds no readable certificate: " + e.getMessage(), e);
        }
    }
}
