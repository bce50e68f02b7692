package de.amtsbote.adapter.smime;

import de.amtsbote.spi.ChannelAddress;
import de.amtsbote.spi.PartyDirectory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A directory in maps: participants by address, partners' certificates by address, and what was offered. */
final class MapDirectory implements PartyDirectory {

    record Offer(ChannelAddress from, List<X509Certificate> chain) {
    }

    private final Map<String, String> participants = new ConcurrentHashMap<>();
    private final Map<String, List<X509Certificate>> certificates = new ConcurrentHashMap<>();
    final List<Offer> offers = new CopyOnWriteArrayList<>();

    MapDirectory participant(String address, String participant) {
        participants.put(address.toLowerCase(), participant);
        return this;
    }

    MapDirectory certificate(String address, X509Certificate certificate) {
        certificates.put(address.toLowerCase(), List.of(certificate));
        return this;
    }

    @Override
    public Optional<String> participantAt(ChannelAddress address) {
        return Optional.ofNullable(participants.get(address.address().toLowerCase()));
    }

    @Override
    public Optional<ChannelAddress> addressOf(String participant, String channel) {
        return participants.entrySet().stream().filter(e -> e.getValue().equals(participant)).findFirst()
                .map(e -> new ChannelAddress(channel, e.getKey()));
    }

    @Override
    public List<X509Certificate> encryptionCertificates(ChannelAddress address) {
        return certificates.getOrDefault(address.address().toLowerCase(), List.of());
    }

    @Override
    public void offer(ChannelAddress from, List<X509Certificate> chain) {
        offers.add(new Offer(from, List.copyOf(chain)));
    }
}
