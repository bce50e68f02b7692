package de.amtsbote.gateway.audit;

import de.amtsbote.crypto.audit.AuditVerifier;
import de.amtsbote.gateway.certificates.CryptoAccess;
import de.amtsbote.gateway.certificates.CryptoProperties;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.Base64;
import org.springframework.stereotype.Service;

/**
 * The gateway checks its own audit trail with the verifier that {@code ./amtsbote audit verify} uses
 * ({@link AuditVerifier} in crypto/): the rows are read exactly as the export writes them (same order, same spelling
 * of times, checkpoints and head) and fed to it, so both name the same first problem.
 *
 * <p>Trust: the checkpoints must be signed by an evidence certificate under one of the configured trust anchors
 * ({@code amtsbote.crypto.trust-anchors}), revocation not checked, as the CLI does offline. A gateway without a key
 * store keeps its checkpoints unsigned and they are accepted; with a key store an unsigned checkpoint is a problem,
 * as it is for the CLI without {@code --allow-unsigned}. An auditor who does not want to rely on the gateway's own
 * configuration verifies an export with the CLI and the CA certificate kept elsewhere.
 */
@Service
public class AuditVerification {

    private final AuditTrail trail;
    private final CryptoProperties crypto;
    private final boolean keyStore;

    AuditVerification(AuditTrail trail, CryptoProperties crypto, CryptoAccess access) {
        this.trail = trail;
        this.crypto = crypto;
        this.keyStore = access.crypto().isPresent();
    }

    /** Verifies the whole trail now; reads it page by page. */
    public AuditVerifier.Report verify() {
        AuditVerifier.Verification v = verifier().start();
        trail.readAll(new AuditTrail.Reader() {
            @Override
            public void entry(AuditEntry e) {
                v.entry(new AuditVerifier.Entry(e.seq(), AuditEntry.TIME.format(e.time()), e.node(),
                        e.actor().kind().name(), e.actor().id(), e.action(), e.subjects(), e.detail(), e.previous(),
                        e.hash()));
            }

            @Override
            public void checkpoint(AuditTrail.Checkpoint c) {
                v.checkpoint(new AuditVerifier.Checkpoint(c.seq(), c.hash(), AuditEntry.TIME.format(c.time()),
                        c.node(), c.document() == null ? null : Base64.getEncoder().encodeToString(c.document())));
            }

            @Override
            public void head(long seq, String hash) {
                v.head(seq, hash);
            }
        });
        return v.finish();
    }

    private AuditVerifier verifier() {
        if (crypto.trustAnchors().isEmpty()) {
            return AuditVerifier.withoutTrust();
        }
        try {
            return AuditVerifier.trusting(crypto.trustAnchors(), !keyStore);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot read the trust anchors (amtsbote.crypto.trust-anchors) to verify"
                    + " the audit checkpoints: " + e.getMessage(), e);
        }
    }
}
