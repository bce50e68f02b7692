package de.amtsbote.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {

    @TempDir
    Path dir;

    @Test
    void readsASecretFromAnEnvironmentVariable() throws Exception {
        String value = System.getenv("AMTSBOTE_TEST_VAULT_PASSWORD");
        Assumptions.assumeTrue(value != null, "surefire sets AMTSBOTE_TEST_VAULT_PASSWORD");

        assertThat(SecretSource.environment("AMTSBOTE_TEST_VAULT_PASSWORD").read()).isEqualTo(value.toCharArray());
    }

    @Test
    void anUnsetVariableIsNamedInTheError() {
        assertThatThrownBy(() -> SecretSource.environment("AMTSBOTE_TEST_NEVER_SET").read())
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.SECRET_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("environment variable AMTSBOTE_TEST_NEVER_SET is not set");
                });
    }

    @Test
    void readsASecretFileWithoutItsTrailingLineBreak() throws Exception {
        Path unix = Files.writeString(dir.resolve("unix"), "pass phrase with spaces\n");
        Path windows = Files.writeString(dir.resolve("windows"), "pass phrase\r\n");
        Path bare = Files.writeString(dir.resolve("bare"), "päss\nword");

        assertThat(SecretSource.file(unix).read()).isEqualTo("pass phrase with spaces".toCharArray());
        assertThat(SecretSource.file(windows).read()).isEqualTo("pass phrase".toCharArray());
        assertThat(SecretSource.file(bare).read()).isEqualTo("päss\nword".toCharArray());
    }

    @Test
    void aMissingOrEmptySecretFileIsNamedInTheError() throws Exception {
        Path missing = dir.resolve("missing");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> SecretSource.file(missing).read())
                .isInstanceOfSatisfying(KeyVaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyVaultException.Reason.SECRET_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("secret file " + missing + " does not exist");
                });
        assertThatThrownBy(() -> SecretSource.file(empty).read())
                .isInstanceOfSatisfying(KeyVaultException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("secret file " + empty + " is empty"));
    }

    @Test
    void theSourceNamesThePlaceNeverTheSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("pin"), "4711-secret");
        SecretSource source = SecretSource.file(file);
        source.read();

        assertThat(source).hasToString("secret file " + file);
        assertThat(SecretSource.environment("HSM_PIN")).hasToString("environment variable HSM_PIN");
    }
}
