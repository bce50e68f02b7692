package de.amtsbote.adapter.loopback;

import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAdapterProvider;
import de.amtsbote.spi.ChannelSettings;

/**
 * Makes the loopback channel known to the gateway through {@link java.util.ServiceLoader}. Settings under
 * {@code amtsbote.channels.loopback.*}:
 *
 * <ul>
 *   <li>{@code endpoint} (required): the loopback peer, e.g. {@code http://127.0.0.1:8181}
 *   <li>{@code domain}: the peer's domain, default {@code loopback.example}
 *   <li>{@code timeout}: how long the peer may stay silent, default {@code 30s}
 *       (see {@link LoopbackAdapter} for what it covers)
 *   <li>{@code max-message-size}: default {@code 1GB}
 *   <li>{@code poll-limit}: items fetched per poll, default 50
 * </ul>
 */
public final class LoopbackAdapterProvider implements ChannelAdapterProvider {

    @Override
    public String channel() {
        return LoopbackAdapter.CHANNEL;
    }

    @Override
    public ChannelAdapter create(ChannelSettings settings) {
        return new LoopbackAdapter(LoopbackSettings.from(settings));
    }
}
