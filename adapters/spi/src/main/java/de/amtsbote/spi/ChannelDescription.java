package de.amtsbote.spi;

import java.util.Objects;
import java.util.Set;

/**
 * What a channel is and what it can do, so that submission can refuse what a channel cannot honour (a request
 * for encryption on a channel that cannot encrypt is refused, never silently dropped).
 *
 * @param channel         the channel name as used in addresses
 * @param displayName     a name for people ("S/MIME e-mail", "De-Mail")
 * @param options         the delivery options this channel honours
 * @param maxMessageBytes the largest message (body and attachments) the channel carries
 */
public record ChannelDescription(String channel, String displayName, Set<DeliveryOption> options, long maxMessageBytes) {

    public ChannelDescription {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(displayName, "displayName");
        options = Set.copyOf(options);
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive");
        }
    }

    public boolean supports(DeliveryOption option) {
        return options.contains(option);
    }
}
