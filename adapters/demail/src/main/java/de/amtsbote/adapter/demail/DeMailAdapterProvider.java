package de.amtsbote.adapter.demail;

import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAdapterProvider;
import de.amtsbote.spi.ChannelSettings;

/**
 * Makes the De-Mail channel known to the gateway through {@link java.util.ServiceLoader}. Its settings are described
 * in the package documentation ({@code package-info.java}) under "Settings".
 */
public final class DeMailAdapterProvider implements ChannelAdapterProvider {

    @Override
    public String channel() {
        return DeMailAdapter.CHANNEL;
    }

    @Override
    public ChannelAdapter create(ChannelSettings settings) {
        return new DeMailAdapter(DeMailSettings.from(settings));
    }
}
