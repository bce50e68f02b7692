package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyState;
import java.time.Instant;

/**
 * One key of the gateway's key store as the inventory shows it: what the vault tells, its certificate's facts and a
 * status. Never key material.
 *
 * @param id           the key's reference in the store
 * @param owner        a participant id, or {@code gateway}
 * @param ownerName    the participant's name for people (the id for {@code gateway})
 * @param purpose      what the key is for
 * @param state        its state in the vault
 * @param overlapUntil for {@link KeyState#OVERLAP}: until when it still decrypts
 * @param subject      the certificate's subject (the placeholder's while pending); null if the store lost the entry
 * @param issuer       the certificate's issuer
 * @param serial       the certificate's serial number, hex
 * @param fingerprint  the certificate's SHA-256 fingerprint, hex
 * @param notBefore    the certificate's validity start
 * @param notAfter     the certificate's validity end
 * @param keySpec      "RSA-3072", "EC brainpoolP256r1"
 * @param hardware     whether the key lives in a PKCS#11 token
 * @param created      when it was generated
 * @param status       the certificate's status
 * @param daysLeft     whole days until {@code notAfter} (negative once expired); null while pending
 * @param lastCheck    the last revocation check, or null
 */
public record OwnKey(String id, String owner, String ownerName, KeyPurpose purpose, KeyState state,
                     Instant overlapUntil, String subject, String issuer, String serial, String fingerprint,
                     Instant notBefore, Instant notAfter, String keySpec, boolean hardware, Instant created,
                     CertificateStatus status, Long daysLeft, RevocationCheck lastCheck) {

    /** Whether the key is used now: it signs or decrypts (active), or still decrypts (overlap). */
    public boolean inUse() {
        return state == KeyState.ACTIVE || state == KeyState.OVERLAP;
    }
}
