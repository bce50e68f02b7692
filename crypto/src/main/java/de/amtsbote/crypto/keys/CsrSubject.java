package de.amtsbote.crypto.keys;

import java.util.List;
import java.util.Objects;

/**
 * Who a certificate request is for: {@code C=DE, O=<organisation>, CN=<common name>}, and the e-mail addresses (as
 * rfc822Name alternative names) an S/MIME certificate must carry.
 *
 * @param organisation   the authority or company ("Stadt Bad Vilbel")
 * @param commonName     the common name; null for the key's owner
 * @param emailAddresses the addresses to request as rfc822Name, possibly none
 */
public record CsrSubject(String organisation, String commonName, List<String> emailAddresses) {

    public CsrSubject {
        if (organisation == null || organisation.isBlank()) {
            throw new IllegalArgumentException("a certificate request needs an organisation");
        }
        if (commonName != null && commonName.isBlank()) {
            throw new IllegalArgumentException("the common name must not be blank (null means: the key's owner)");
        }
        emailAddresses = List.copyOf(Objects.requireNonNull(emailAddresses, "emailAddresses"));
        for (String address : emailAddresses) {
            if (address.isBlank() || address.indexOf('@') < 1) {
                throw new IllegalArgumentException("not an e-mail address: '" + address + "'");
            }
        }
    }

    /** A subject with the organisation only: the common name is the key's owner, no e-mail address. */
    public static CsrSubject of(String organisation) {
        return new CsrSubject(organisation, null, List.of());
    }

    public CsrSubject commonName(String name) {
        return new CsrSubject(organisation, name, emailAddresses);
    }

    public CsrSubject email(String address) {
        List<String> all = new java.util.ArrayList<>(emailAddresses);
        all.add(address);
        return new CsrSubject(organisation, commonName, all);
    }
}
