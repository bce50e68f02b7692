package de.amtsbote.spi;

import java.util.Objects;
import java.util.Set;

/**
 * A recipient of a submission as the router is about to route it to a channel: what the channel gets to judge in
 * {@link ChannelAdapter#refusal(RouteRequest)} while the client still waits.
 *
 * @param sender           the participant id of the sending authority
 * @param senderPublicBody whether the sender is configured as a public body ({@code public-body: true}): some
 *                         channel options are reserved to them (De-Mail Abholbestätigung, the basis of formal
 *                         service by public bodies)
 * @param recipient        the recipient's address on the channel, normalised by {@link ChannelAdapter#checkAddress}
 * @param options          the options asked for, all among the channel's {@link ChannelDescription#options()}
 */
public record RouteRequest(String sender, boolean senderPublicBody, ChannelAddress recipient,
                           Set<DeliveryOption> options) {
    public RouteRequest {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        options = Set.copyOf(options);
    }
}
