package de.amtsbote.adapter.smime;

import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAdapterProvider;
import de.amtsbote.spi.ChannelSettings;

/**
 * Makes the S/MIME e-mail channel known to the gateway through {@link java.util.ServiceLoader}. Its settings are
 * described in the package documentation ({@code package-info.java}) under "Settings".
 */
public final class SmimeAdapterProvider implements ChannelAdapterProvider {

    @Override
    public String channel() {
        return SmimeAdapter.CHANNEL;
    }

    @Override
    public ChannelAdapter create(ChannelSettings settings) {
        return new SmimeAdapter(SmimeSettings.from(settings));
    }
}
