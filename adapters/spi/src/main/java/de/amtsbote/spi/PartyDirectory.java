package de.amtsbote.spi;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Who is who on the channels, as the gateway knows it: its own participants and their addresses, and the partners'
 * certificates. Adapters ask it instead of keeping their own lists, so that one configuration serves every channel.
 * Lookups are fast and do no network I/O; they may be called from any thread.
 */
public interface PartyDirectory {

    /** The gateway's own participant that owns this address, if any: where an inbound message belongs. */
    Optional<String> participantAt(ChannelAddress address);

    /** A participant's own address on a channel (the From of its e-mail), if it has one there. */
    Optional<ChannelAddress> addressOf(String participant, String channel);

    /**
     * The certificates to encrypt for when writing to this partner address: the configured ones, else ones learned
     * from the partner's verified signed messages (see {@link #offer}). Empty when none is known; the adapter then
     * refuses to encrypt and says so. The certificates are not yet validated: the encryptor does that.
     */
    List<X509Certificate> encryptionCertificates(ChannelAddress address);

    /**
     * Intermediate CA certificates that help to validate this partner's {@link #encryptionCertificates}: the chain
     * that came with a configured or learned certificate. Pass them to the encryptor with the certificates.
     */
    default List<X509Certificate> intermediates(ChannelAddress address) {
        return List.of();
    }

    /**
     * Offers the certificate of a verified signer of a message that came from {@code from}. The directory keeps it
     * for later encryption only under its documented rule (the signature and the certificate path were valid, the
     * certificate names that very address and allows encryption); otherwise it ignores it. Never throws for a
     * certificate it does not keep.
     *
     * @param chain the certificate and any intermediates the message carried
     */
    void offer(ChannelAddress from, List<X509Certificate> chain);

    /** A directory that knows nobody: for adapters and tests that need none. */
    static PartyDirectory empty() {
        return new PartyDirectory() {
            @Override
            public Optional<String> participantAt(ChannelAddress address) {
                return Optional.empty();
            }

            @Override
            public Optional<ChannelAddress> addressOf(String participant, String channel) {
                return Optional.empty();
            }

            @Override
            public List<X509Certificate> encryptionCertificates(ChannelAddress address) {
                return List.of();
            }

            @Override
            public void offer(ChannelAddress from, List<X509Certificate> chain) {
                // knows nobody, keeps nothing
            }
        };
    }
}
