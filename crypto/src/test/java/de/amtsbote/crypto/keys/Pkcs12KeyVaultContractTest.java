package de.amtsbote.crypto.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The key vault contract on a PKCS#12 file. */
class Pkcs12KeyVaultContractTest extends KeyVaultContract {

    @TempDir
    Path dir;

    @Override
    KeyVault open(Clock clock) throws Exception {
        Path file = dir.resolve("keys.p12");
        Path passwordFile = dir.resolve("vault-password");
        if (!Files.exists(passwordFile)) {
            Files.writeString(passwordFile, "a long random vault password for tests\n");
        }
        SecretSource password = SecretSource.file(passwordFile);
        return Files.exists(file) ? Pkcs12KeyVault.open(file, password, policy, clock)
                : Pkcs12KeyVault.create(file, password, policy, clock);
    }

    @Override
    Path ledgerFile() {
        return Pkcs12KeyVault.ledgerFile(dir.resolve("keys.p12"));
    }

    @Override
    boolean keysInHardware() {
        return false;
    }
}
