package de.amtsbote.crypto.keys;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which PKCS#11 token to use: the module library and the slot, by its id or by its index in the module's list of
 * slots with a token. The JDK's SunPKCS11 cannot select a token by label; {@code pkcs11-tool -L} (OpenSC) or
 * {@code softhsm2-util --show-slots} show the slot ids, and SoftHSM keeps a token's slot id stable (it derives it from
 * the token's serial number).
 *
 * @param name           a short name for the token in provider names and messages ("hsm", "evidence-hsm")
 * @param library        the PKCS#11 module ({@code /usr/lib/softhsm/libsofthsm2.so})
 * @param slot           the slot id, or null when {@code slotListIndex} is given
 * @param slotListIndex  the index among the slots with a token, or null when {@code slot} is given
 */
public record Pkcs11Config(String name, Path library, Integer slot, Integer slotListIndex) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,39}");

    public Pkcs11Config {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a PKCS#11 token name is letters, digits and '-', at most 40: " + name);
        }
        Objects.requireNonNull(library, "library");
        if (library.toString().contains("\n") || library.toString().contains("${")) {
            throw new IllegalArgumentException("unusable PKCS#11 library path: " + library);
        }
        if ((slot == null) == (slotListIndex == null)) {
            throw new IllegalArgumentException("give the PKCS#11 slot id or the slot list index, one of them");
        }
        if ((slot != null && slot < 0) || (slotListIndex != null && slotListIndex < 0)) {
            throw new IllegalArgumentException("PKCS#11 slot ids and indexes are not negative");
        }
    }

    public static Pkcs11Config slot(String name, Path library, int slotId) {
        return new Pkcs11Config(name, library, slotId, null);
    }

    public static Pkcs11Config slotListIndex(String name, Path library, int index) {
        return new Pkcs11Config(name, library, null, index);
    }

    /** "token hsm (slot 1234 of /usr/lib/softhsm/libsofthsm2.so)", as messages name it. */
    public String describe() {
        return "PKCS#11 token " + name + " (" + (slot != null ? "slot " + slot : "slot list index " + slotListIndex)
                + " of " + library + ")";
    }
}
