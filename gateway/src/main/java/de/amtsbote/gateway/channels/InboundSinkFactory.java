package de.amtsbote.gateway.channels;

import de.amtsbote.spi.InboundSink;

/** Gives each channel its own sink, so that everything an adapter hands in is filed under its channel. */
public interface InboundSinkFactory {
    InboundSink forChannel(String channel);
}
