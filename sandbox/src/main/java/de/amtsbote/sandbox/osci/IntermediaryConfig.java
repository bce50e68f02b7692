package de.amtsbote.sandbox.osci;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One sandbox intermediary.
 *
 * @param name        its name: the path {@code /osci/<name>} and the {@code Caller} of its responses
 * @param certificate PEM of its certificate (chain, leaf first): signs responses and process cards, and usage data
 *                    is encrypted for it; null: generated into the configuration's PKI directory
 * @param key         PEM of its private key; null with {@code certificate}
 * @param maxBytes    the size limit of one request (the whole HTTP body); larger ones are refused TooLarge
 */
public record IntermediaryConfig(String name, Path certificate, Path key, long maxBytes) {

    /** 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

    public IntermediaryConfig {
        if (name == null || !NAME.matcher(name).matches() || name.equals("mailboxes")) {
            throw new IllegalArgumentException("an intermediary name is 1-41 of a-z0-9- (and not 'mailboxes'), not '"
                    + name + "'");
        }
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("intermediary " + name + ": certificate and key come together");
        }
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("intermediary " + name + ": max-bytes must be at least 4096, not "
                    + maxBytes);
        }
    }

    /** An intermediary whose certificate the sandbox generates. */
    public static IntermediaryConfig generated(String name) {
        return new IntermediaryConfig(name, null, null, DEFAULT_MAX_BYTES);
    }

    /** An intermediary with the given PEM files. */
    public static IntermediaryConfig of(String name, Path certificate, Path key) {
        return new IntermediaryConfig(name, Objects.requireNonNull(certificate), Objects.requireNonNull(key),
                DEFAULT_MAX_BYTES);
    }

    public IntermediaryConfig maxBytes(long bytes) {
        return new IntermediaryConfig(name, certificate, key, bytes);
    }
}
