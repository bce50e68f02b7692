package de.amtsbote.crypto.keys;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key vault contract on a real SoftHSM2 token. The token is shared by the tests of this JVM; each test has its
 * own ledger, so it sees only its own keys.
 */
class Pkcs11KeyVaultContractTest extends KeyVaultContract {

    @TempDir
    Path dir;

    @Override
    KeyVault open(Clock clock) throws Exception {
        SoftHsm hsm = SoftHsm.require();
        return Pkcs11KeyVault.open(hsm.config(SoftHsm.MAIN_TOKEN), SoftHsm.pinFile(dir, SoftHsm.PIN),
                ledgerFile(), policy, clock);
    }

    @Override
    Path ledgerFile() {
        return dir.resolve("token-keys.ledger");
    }

    @Override
    boolean keysInHardware() {
        return true;
    }
}
