package de.amtsbote.crypto.keys;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one key in a key store: whose it is, what it is for, and which generation. This is what configuration,
 * the console and the evidence refer to; the key itself never leaves its store.
 *
 * @param owner   the participant id, or {@code "gateway"} for the gateway's own keys (evidence, TLS)
 * @param purpose what the key is for
 * @param id      the key's alias in its store, unique there ("stadt-bad-vilbel.signing.20261124t101500z")
 */
public record KeyRef(String owner, KeyPurpose purpose, String id) {

    private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    public KeyRef {
        Objects.requireNonNull(purpose, "purpose");
        if (owner == null || !SAFE.matcher(owner).matches()) {
            throw new IllegalArgumentException("key owner must be lower-case letters, digits, '.', '_' or '-': " + owner);
        }
        if (id == null || !SAFE.matcher(id).matches()) {
            throw new IllegalArgumentException("key id must be lower-case letters, digits, '.', '_' or '-': " + id);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
