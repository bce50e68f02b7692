package de.amtsbote.spi;

import java.util.Objects;

/**
 * The result of {@link ChannelAdapter#checkAddress(String)}: the address in its normal form, or why it cannot be
 * used ("De-Mail addresses are lower case", "system address Meldung@… cannot be a recipient").
 */
public record AddressCheck(String normalized, String problem) {

    public static AddressCheck valid(String normalized) {
        return new AddressCheck(Objects.requireNonNull(normalized), null);
    }

    public static AddressCheck invalid(String problem) {
        return new AddressCheck(null, Objects.requireNonNull(problem));
    }

    public boolean isValid() {
        return problem == null;
    }
}
