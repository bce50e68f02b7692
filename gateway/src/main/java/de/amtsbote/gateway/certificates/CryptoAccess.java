package de.amtsbote.gateway.certificates;

import de.amtsbote.crypto.Crypto;
import java.util.Optional;

/** The crypto door if this installation has a key store, for the channels and the console. */
public record CryptoAccess(Optional<Crypto> crypto) {
}
