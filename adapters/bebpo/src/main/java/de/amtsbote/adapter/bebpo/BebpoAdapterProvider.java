package de.amtsbote.adapter.bebpo;

import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAdapterProvider;
import de.amtsbote.spi.ChannelSettings;

/**
 * Makes the beBPo channel known to the gateway through {@link java.util.ServiceLoader}. Its settings are described in
 * the package documentation ({@code package-info.java}) under "Settings".
 */
public final class BebpoAdapterProvider implements ChannelAdapterProvider {

    @Override
    public String channel() {
        return BebpoAdapter.CHANNEL;
    }

    @Override
    public ChannelAdapter create(ChannelSettings settings) {
        return new BebpoAdapter(BebpoSettings.from(settings));
    }
}
