package de.amtsbote.crypto.tls;

import de.amtsbote.crypto.keys.KeyPurpose;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.keys.KeyVaultException;
import de.amtsbote.crypto.keys.PrivateKeyHandle;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents an owner's {@link KeyPurpose#TLS} key and certificate chain from the {@link KeyVault} as a TLS client.
 * The key is looked up at each handshake, so a rotated TLS key is used from the next connection on without a
 * restart; a key in a PKCS#11 token stays there (the handle's JCA key holds no key material).
 */
final class VaultKeyManager extends X509ExtendedKeyManager {

    private static final System.Logger LOG = System.getLogger(VaultKeyManager.class.getName());

    private final KeyVault keys;
    private final String owner;

    VaultKeyManager(KeyVault keys, String owner) {
        this.keys = keys;
        this.owner = owner;
    }

    private PrivateKeyHandle handle() {
        try {
            return keys.signingKey(owner, KeyPurpose.TLS);
        } catch (KeyVaultException e) {
            // the handshake goes on without a certificate, and the server's refusal names the problem
            LOG.log(System.Logger.Level.WARNING, "no TLS client key for {0}: {1}", owner, e.getMessage());
            return null;
        }
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    private String choose(String[] keyTypes) {
        PrivateKeyHandle h = handle();
        if (h == null) {
            return null;
        }
        String algorithm = h.certificate().getPublicKey().getAlgorithm();
        for (String type : keyTypes) {
            if (type.equalsIgnoreCase(algorithm) || type.startsWith(algorithm + "_")) {
                return owner;
            }
        }
        return owner;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        PrivateKeyHandle h = owner.equals(alias) ? handle() : null;
        return h == null ? null : h.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PrivateKeyHandle h = owner.equals(alias) ? handle() : null;
        return h == null ? null : h.jcaKey();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {owner};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
