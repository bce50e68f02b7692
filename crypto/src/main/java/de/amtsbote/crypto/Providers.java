package de.amtsbote.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance of the process. It is registered (at the end of the list, so the JDK's
 * providers keep their precedence for everything else) because Santuario and the JDK's PKIX code look providers
 * up by name.
 */
public final class Providers {

    private static final Provider BC = register();

    private Providers() {
    }

    /**
     * Bouncy Castle: CMS and XML plumbing, brainpool curves (which newer JDKs dropped), PKIX extras. Bulk AES-GCM runs
     * on the JDK's intrinsified AES instead ({@link de.amtsbote.crypto.content.StreamingGcm}).
     */
    public static Provider bouncyCastle() {
        return BC;
    }

    private static synchronized Provider register() {
        Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (existing != null) {
            return existing;
        }
        Provider bc = new BouncyCastleProvider();
        Security.addProvider(bc);
        return bc;
    }
}
