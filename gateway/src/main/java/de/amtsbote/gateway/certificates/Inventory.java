package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.keys.KeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Everything the gateway holds and relies on, at one moment: its own keys (oldest first) and the partners'
 * certificates (by address). Counts are of what is used: own keys that are active or in overlap, and each partner
 * address's current certificate.
 *
 * @param at            when it was taken
 * @param expiryWarning how long before its end a certificate counts as expiring
 * @param ownKeys       the key store's keys
 * @param partners      the partners' certificates
 */
public record Inventory(Instant at, Duration expiryWarning, List<OwnKey> ownKeys, List<PartnerCertificate> partners) {

    public Inventory {
        ownKeys = List.copyOf(ownKeys);
        partners = List.copyOf(partners);
    }

    public long ownCount(CertificateStatus status) {
        return ownKeys.stream().filter(OwnKey::inUse).filter(k -> k.status() == status).count();
    }

    public long partnerCount(CertificateStatus status) {
        return partners.stream().filter(PartnerCertificate::current).filter(p -> p.status() == status).count();
    }

    /** Keys waiting for their certificate. */
    public long pending() {
        return ownKeys.stream().filter(k -> k.state() == KeyState.PENDING).count();
    }

    public long expiring() {
        return ownCount(CertificateStatus.EXPIRING) + partnerCount(CertificateStatus.EXPIRING);
    }

    public long expired() {
        return ownCount(CertificateStatus.EXPIRED) + partnerCount(CertificateStatus.EXPIRED);
    }

    public long revoked() {
        return ownCount(CertificateStatus.REVOKED) + partnerCount(CertificateStatus.REVOKED);
    }

    /** Own keys in use and current partner certificates that are expiring or expired: what alerts are about. */
    public Inventory expiringOnly() {
        Predicate<CertificateStatus> soon = s -> s == CertificateStatus.EXPIRING || s == CertificateStatus.EXPIRED;
        return new Inventory(at, expiryWarning,
                ownKeys.stream().filter(k -> k.inUse() && soon.test(k.status())).toList(),
                partners.stream().filter(p -> p.current() && soon.test(p.status())).toList());
    }
}
