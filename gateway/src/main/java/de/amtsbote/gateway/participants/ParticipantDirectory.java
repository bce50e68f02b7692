package de.amtsbote.gateway.participants;

import de.amtsbote.spi.ChannelAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The participants known to this gateway. Built once from configuration; a configuration error (duplicate id,
 * malformed address, one address used by two participants) stops the start with a message naming the entry.
 */
@Component
public class ParticipantDirectory {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private final Map<String, Participant> byId = new LinkedHashMap<>();
    private final Map<ChannelAddress, Participant> byAddress = new LinkedHashMap<>();

    public ParticipantDirectory(ParticipantProperties properties) {
        int index = 0;
        for (ParticipantProperties.Entry entry : properties.participants()) {
            String where = "amtsbote.participants[" + index++ + "]";
            if (entry.id() == null || !ID.matcher(entry.id()).matches()) {
                throw new IllegalStateException(where + ".id must be 1-100 of [a-z0-9._-], got '" + entry.id() + "'");
            }
            List<ChannelAddress> addresses = new ArrayList<>();
            for (String text : entry.addresses()) {
                try {
                    addresses.add(ChannelAddress.parse(text.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(where + " (" + entry.id() + "): " + e.getMessage());
                }
            }
            Participant participant = new Participant(entry.id(),
                    entry.name() == null ? entry.id() : entry.name(), entry.own(), entry.publicBody(), addresses);
            if (byId.putIfAbsent(participant.id(), participant) != null) {
                throw new IllegalStateException(where + ": participant id '" + participant.id() + "' is used twice");
            }
            for (ChannelAddress address : addresses) {
                Participant other = byAddress.putIfAbsent(address, participant);
                if (other != null) {
                    throw new IllegalStateException(where + ": address " + address + " already belongs to " + other.id());
                }
            }
        }
    }

    public Optional<Participant> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The participant an address belongs to, used to file inbound messages. */
    public Optional<Participant> byAddress(ChannelAddress address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    public Collection<Participant> all() {
        return byId.values();
    }
}
