package de.amtsbote.spi;

/**
 * The {@link java.util.ServiceLoader} entry point of a channel adapter module. Register the implementation in
 * {@code META-INF/services/de.amtsbote.spi.ChannelAdapterProvider}.
 *
 * <pre>{@code
 * public final class FaxAdapterProvider implements ChannelAdapterProvider {
 *     public String channel() { return "fax"; }
 *     public ChannelAdapter create(ChannelSettings settings) {
 *         return new FaxAdapter(settings.uri("endpoint"), settings.duration("timeout", Duration.ofSeconds(30)));
 *     }
 * }
 * }</pre>
 */
public interface ChannelAdapterProvider {

    /** The channel name, lower case, as used in addresses ({@code "smime"} in {@code smime:a@b.example}). */
    String channel();

    /** Builds an adapter from its configuration; throws {@link IllegalArgumentException} naming a bad setting. */
    ChannelAdapter create(ChannelSettings settings);
}
