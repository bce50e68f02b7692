/**
 * The transport port of Amtsbote. A channel adapter implements {@link de.amtsbote.spi.ChannelAdapter} and is
 * found through {@link de.amtsbote.spi.ChannelAdapterProvider} with {@link java.util.ServiceLoader}.
 *
 * <p>Everything here is plain Java: value records in and out, content as {@link de.amtsbote.spi.ContentSource}
 * streams, failures as {@link de.amtsbote.spi.TransientTransportException} (retry) or
 * {@link de.amtsbote.spi.PermanentTransportException} (give up with a reason).
 */
package de.amtsbote.spi;
