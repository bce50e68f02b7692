package de.amtsbote.gateway.channels;

import de.amtsbote.spi.ChannelAdapter;
import de.amtsbote.spi.ChannelAdapterProvider;
import de.amtsbote.spi.ChannelSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The channels this gateway runs. Adapters are found on the class path with {@link ServiceLoader}; a channel runs
 * when {@code amtsbote.channels.<name>} configures it (and does not say {@code enabled: false}). Configuration
 * for a channel whose adapter is missing stops the start, so a typo never silently disables a channel.
 */
@Component
public class ChannelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ChannelRegistry.class);

    private final Map<String, ChannelAdapter> active;

    public ChannelRegistry(Environment environment) {
        Map<String, ChannelAdapterProvider> available = new TreeMap<>();
        for (ChannelAdapterProvider provider : ServiceLoader.load(ChannelAdapterProvider.class)) {
            ChannelAdapterProvider other = available.putIfAbsent(provider.channel(), provider);
            if (other != null) {
                throw new IllegalStateException("two adapters claim channel '" + provider.channel() + "': "
                        + other.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        Map<String, Map<String, String>> configured = Binder.get(environment)
                .bind("amtsbote.channels", channelsBindable())
                .orElse(Map.of());
        Map<String, ChannelAdapter> adapters = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> entry : new TreeMap<>(configured).entrySet()) {
            String channel = entry.getKey();
            ChannelSettings settings = new ChannelSettings(channel, entry.getValue());
            if (!settings.flag("enabled", true)) {
                log.info("channel '{}' is configured but disabled", channel);
                continue;
            }
            ChannelAdapterProvider provider = available.get(channel);
            if (provider == null) {
                throw new IllegalStateException("amtsbote.channels." + channel + " is configured, but no adapter for"
                        + " channel '" + channel + "' is on the class path; available: " + available.keySet());
            }
            adapters.put(channel, provider.create(settings));
        }
        available.keySet().stream().filter(c -> !adapters.containsKey(c))
                .forEach(c -> log.info("channel '{}' is available but not configured (amtsbote.channels.{})", c, c));
        this.active = Collections.unmodifiableMap(adapters);
        log.info("active channels: {}", active.keySet());
    }

    /** {@code amtsbote.channels.<channel>.<key>: <value>}, each channel's keys as plain strings for the adapter. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Bindable<Map<String, Map<String, String>>> channelsBindable() {
        return (Bindable) Bindable.of(ResolvableType.forClassWithGenerics(Map.class,
                ResolvableType.forClass(String.class), ResolvableType.forClassWithGenerics(Map.class, String.class,
                        String.class)));
    }

    public Optional<ChannelAdapter> find(String channel) {
        return Optional.ofNullable(active.get(channel));
    }

    public Map<String, ChannelAdapter> active() {
        return active;
    }
}
