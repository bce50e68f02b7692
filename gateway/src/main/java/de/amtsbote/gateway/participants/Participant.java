package de.amtsbote.gateway.participants;

import de.amtsbote.spi.ChannelAddress;
import java.util.List;
import java.util.Optional;

/**
 * An authority or other party known to the gateway, with its channel addresses in order of preference.
 *
 * @param id        stable identifier used in envelopes ({@code participant:<id>}) and in client permissions
 * @param name      name for people ("Magistrat der Stadt Bad Vilbel")
 * @param own       true for the authorities this gateway serves (they send and receive through it)
 * @param publicBody true for a public body (öffentliche Stelle, an authority under public law): channels reserve
 *                   some options to them, such as the De-Mail Abholbestätigung on which formal service rests
 * @param addresses channel addresses, most preferred first
 */
public record Participant(String id, String name, boolean own, boolean publicBody, List<ChannelAddress> addresses) {

    public Participant {
        addresses = List.copyOf(addresses);
    }

    /** This participant's address on a channel, if it has one. */
    public Optional<ChannelAddress> addressOn(String channel) {
        return addresses.stream().filter(a -> a.channel().equals(channel)).findFirst();
    }
}
