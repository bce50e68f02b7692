package de.amtsbote.crypto.xml;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content outside the XML that a detached signature covers (an attachment, a MIME part): opened when it is digested,
 * read once as a stream, closed by the reader. Content is never handed over as a byte array.
 */
@FunctionalInterface
public interface ContentSource {

    /** A fresh stream over the whole content, from its first byte. */
    InputStream open() throws IOException;
}
