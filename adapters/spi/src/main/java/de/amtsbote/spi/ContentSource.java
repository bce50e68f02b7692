package de.amtsbote.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content that can be read, as often as needed, as a stream. Message content is never handed around as a byte
 * array: an attachment may be a gigabyte. Each call opens a new stream; the caller closes it.
 */
@FunctionalInterface
public interface ContentSource {
    InputStream open() throws IOException;
}
