package de.amtsbote.spi.testing;

import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.PartyDirectory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PartyDirectory} for adapter tests, filled by the test; it learns nothing from {@link #offer}. */
public class TestDirectory implements PartyDirectory {

    /** Channel address (without channel) → the participant it belongs to. */
    public final Map<String, String> participants = new ConcurrentHashMap<>();
    /** Participant → its own address on the channel under test. */
    public final Map<String, String> own = new ConcurrentHashMap<>();
    /** Partner address → its encryption certificate. */
    public final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

    @Override
    public Optional<String> participantAt(ChannelAddress address) {
        return Optional.ofNullable(participants.get(address.address()));
    }

    @Override
    public Optional<ChannelAddress> addressOf(String participant, String channel) {
        return Optional.ofNullable(own.get(participant)).map(a -> new ChannelAddress(channel, a));
    }

    @Override
    public List<X509Certificate> encryptionCertificates(ChannelAddress address) {
        return Optional.ofNullable(certificates.get(address.address())).map(List::of).orElse(List.of());
    }

    @Override
    public void offer(ChannelAddress from, List<X509Certificate> chain) {
        // tests configure certificates; nothing is learned
    }
}
