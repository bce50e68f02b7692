package de.amtsbote.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * An address on one channel, written {@code <channel>:<address>}: {@code smime:poststelle@viernheim.example},
 * {@code demail:poststelle@kreis.de-mail.de}, {@code bebpo:DE.Justiz.1234}.
 */
public record ChannelAddress(String channel, String address) {

    public ChannelAddress {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(address, "address");
        if (channel.isEmpty() || !channel.equals(channel.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("channel must be a non-empty lower-case name: '" + channel + "'");
        }
        if (address.isEmpty()) {
            throw new IllegalArgumentException("address is empty");
        }
    }

    /** Parses {@code <channel>:<address>}; the channel name is case-insensitive. */
    public static ChannelAddress parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not of the form <channel>:<address>");
        }
        return new ChannelAddress(text.substring(0, colon).toLowerCase(Locale.ROOT), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return channel + ":" + address;
    }
}
