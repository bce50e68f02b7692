package de.amtsbote.crypto.xml;

import de.amtsbote.crypto.Providers;
import org.apache.xml.security.Init;

/** Starts Apache Santuario once, after Bouncy Castle is registered (Santuario looks providers up by name). */
final class Santuario {

    private Santuario() {
    }

    static void init() {
        Providers.bouncyCastle();
        if (!Init.isInitialized()) {
            Init.init();
        }
    }
}
