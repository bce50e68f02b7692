package de.amtsbote.crypto.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a key store password or token PIN comes from: an environment variable or a secret file (a Docker or
 * Kubernetes secret, a systemd credential). The value names the place, never the secret, so it may be logged and
 * shown; the secret is read only when a vault opens.
 *
 * @param kind     environment variable or file
 * @param location the variable's name or the file's path
 */
public record SecretSource(Kind kind, String location) {

    /** Where the secret is kept. */
    public enum Kind {
        ENVIRONMENT,
        FILE
    }

    public SecretSource {
        Objects.requireNonNull(kind, "kind");
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("a secret source needs a variable name or a file path");
        }
    }

    public static SecretSource environment(String variable) {
        return new SecretSource(Kind.ENVIRONMENT, variable);
    }

    public static SecretSource file(Path path) {
        return new SecretSource(Kind.FILE, path.toString());
    }

    /**
     * Reads the secret. A file's content is taken as UTF-8 without one trailing line break (as {@code echo} and
     * editors leave it). The caller owns the array and should clear it when done.
     */
    public char[] read() throws KeyVaultException {
        char[] secret = kind == Kind.ENVIRONMENT ? fromEnvironment() : fromFile();
        if (secret.length == 0) {
            throw new KeyVaultException(KeyVaultException.Reason.SECRET_UNAVAILABLE, this + " is empty");
        }
        return secret;
    }

    private char[] fromEnvironment() throws KeyVaultException {
        String value = System.getenv(location);
        if (value == null) {
            throw new KeyVaultException(KeyVaultException.Reason.SECRET_UNAVAILABLE, this + " is not set");
        }
        return value.toCharArray();
    }

    private char[] fromFile() throws KeyVaultException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(location));
        } catch (NoSuchFileException e) {
            throw new KeyVaultException(KeyVaultException.Reason.SECRET_UNAVAILABLE, this + " does not exist", e);
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Reason.SECRET_UNAVAILABLE, this + " cannot be read: "
                    + e.getMessage(), e);
        }
        try {
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
            char[] secret = new char[chars.remaining()];
            chars.get(secret);
            Arrays.fill(chars.array(), '\0');
            return secret;
        } catch (CharacterCodingException e) {
            throw new KeyVaultException(KeyVaultException.Reason.SECRET_UNAVAILABLE, this + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.ENVIRONMENT ? "environment variable " + location : "secret file " + location;
    }
}
