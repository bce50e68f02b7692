package de.amtsbote.gateway.console.trust;

import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.CertificateProfile;
import de.amtsbote.crypto.pki.IssueRequest;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import de.amtsbote.crypto.validation.CertificateUsage;
import de.amtsbote.crypto.validation.CertificateValidator;
import de.amtsbote.crypto.validation.TrustAnchorCandidate;
import de.amtsbote.crypto.validation.ValidationResult;
import de.amtsbote.gateway.security.ClientRegistry;
import de.amtsbote.gateway.testing.ConsoleGateway;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console gateway plus a client system with the role SECURITY_OFFICER (the CLI's door to the trust anchors), and
 * certificate authorities the gateway does not know. The trust tests share this one context.
 */
public abstract class TrustGateway extends ConsoleGateway {

    protected static final String OFFICER_CLIENT = "sicherheit-skript";
    protected static final String OFFICER_TOKEN = "so-" + UUID.randomUUID();

    @DynamicPropertySource
    static void trust(DynamicPropertyRegistry p) {
        p.add("amtsbote.clients[3].id", () -> OFFICER_CLIENT);
        p.add("amtsbote.clients[3].token-sha256", () -> ClientRegistry.digestOf(OFFICER_TOKEN));
        p.add("amtsbote.clients[3].roles[0]", () -> "SECURITY_OFFICER");
    }

    /** The fingerprint of the configured anchor, {@code ROOT} of the console world. */
    protected static String configuredFingerprint() {
        return TrustAnchorCandidate.fingerprint(ROOT.certificate());
    }

    /** A certificate authority the gateway does not know, with a partner's certificate it issued. */
    public record Stranger(CertificateAuthority root, List<X509Certificate> partnerChain, String address) {

        public static Stranger create(String name) {
            try {
                String unique = name + " " + UUID.randomUUID().toString().substring(0, 8);
                CertificateAuthority root = CertificateAuthority.root(unique, KeySpec.ec("P-256"), Clock.systemUTC());
                String address = "poststelle-" + UUID.randomUUID().toString().substring(0, 8) + "@partner.example";
                List<X509Certificate> chain = root.issue(IssueRequest.named("Poststelle " + unique)
                        .profile(CertificateProfile.SIGNING_AND_ENCRYPTION).key(KeySpec.ec("P-256"))
                        .email(address)).chain();
                return new Stranger(root, chain, address);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        public X509Certificate partner() {
            return partnerChain.get(0);
        }

        public String rootPem() {
            return Pem.encode(root.certificate());
        }

        public String fingerprint() {
            return TrustAnchorCandidate.fingerprint(root.certificate());
        }

        /** The partner's certificate as a message signer's, validated now. */
        public ValidationResult validateWith(CertificateValidator validator) {
            return validator.validate(partner(), List.of(), CertificateUsage.MESSAGE_SIGNATURE, Instant.now());
        }
    }

    /** A partner's end-entity certificate (not a CA), as PEM. */
    protected static String endEntityPem() {
        return Pem.encode(Stranger.create("End Entity Issuer").partner());
    }

    protected long rows(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    /** The audit entries of an action concerning a trust anchor, as "actorKind actorId subjects detail". */
    protected List<String> audited(String action, String fingerprint) {
        return jdbc.sql("select actor_kind || ' ' || actor_id || ' ' || subjects || ' ' || detail from audit_entry"
                        + " where action = :a and subjects like :s order by seq")
                .param("a", action).param("s", "%" + fingerprint + "%").query(String.class).list();
    }
}
