package de.amtsbote.gateway.bundle;

import de.amtsbote.gateway.evidence.EvidenceRepository.EvidenceSummary;
import de.amtsbote.gateway.messages.MessageView;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a message's evidence bundle is made of, gathered before writing starts (so that a refusal can still be an
 * error answer): the message, its evidence list in chain order, the evidence key's certificate chain or why there is
 * none, and when the bundle was made.
 */
public record EvidenceBundle(MessageView message, List<EvidenceSummary> evidence,
                             EvidenceBundles.Certificates certificates, Instant createdAt) {

    public EvidenceBundle {
        evidence = List.copyOf(evidence);
    }

    Optional<List<X509Certificate>> certificateChain() {
        return Optional.ofNullable(certificates.chain());
    }

    String certificateNote() {
        return certificates.note();
    }
}
