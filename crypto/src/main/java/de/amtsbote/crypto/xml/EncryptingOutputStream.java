package de.amtsbote.crypto.xml;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Binary content being encrypted as a stream (see {@link XmlEncryptor#encryptBinary}). The EncryptedKey elements and
 * the EncryptionMethod URI are known before the first byte, so that the caller can write the XML that refers to the
 * ciphertext while it streams. {@link #close()} writes the GCM tag and closes the underlying stream; without it the
 * ciphertext is incomplete and will not decrypt.
 */
public final class EncryptingOutputStream extends OutputStream {

    private final OutputStream cipher;
    private final String encryptionMethod;
    private final List<Element> encryptedKeys;

    EncryptingOutputStream(OutputStream cipher, String encryptionMethod, List<Element> encryptedKeys) {
        this.cipher = cipher;
        this.encryptionMethod = encryptionMethod;
        this.encryptedKeys = List.copyOf(encryptedKeys);
    }

    /** The xenc:EncryptionMethod Algorithm of the ciphertext ({@code xmlenc11#aes256-gcm}). */
    public String encryptionMethod() {
        return encryptionMethod;
    }

    /** One xenc:EncryptedKey per recipient, in the document given to {@code encryptBinary}, not yet placed. */
    public List<Element> encryptedKeys() {
        return encryptedKeys;
    }

    @Override
    public void write(int b) throws IOException {
        cipher.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        cipher.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        cipher.flush();
    }

    @Override
    public void close() throws IOException {
        cipher.close();
    }
}
