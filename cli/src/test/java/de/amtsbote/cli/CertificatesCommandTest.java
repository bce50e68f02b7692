package de.amtsbote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./amtsbote certificates} without a gateway: usage and the errors a user sees. The commands against a running
 * gateway are tested in the gateway module (CertificatesApiTest).
 */
class CertificatesCommandTest {

    @TempDir
    Path dir;

    private final Terminal terminal = new Terminal();

    private int run(String... args) {
        return terminal.run(args);
    }

    @Test
    void helpNamesTheSubcommandsAndTheRoleNeeded() {
        assertThat(run("certificates", "--help")).isZero();
        assertThat(terminal.out()).contains("list", "import-partner", "SECURITY_OFFICER");
    }

    @Test
    void importWithoutAnAddressIsAUsageError() throws Exception {
        Path pem = Files.writeString(dir.resolve("c.pem"), "x");
        assertThat(run("certificates", "import-partner", pem.toString())).isEqualTo(2);
        assertThat(terminal.err()).contains("--address");
    }

    @Test
    void aGatewayThatDoesNotAnswerIsNamedWithExitCode2() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(run("certificates", "list", "--api", "http://127.0.0.1:" + port, "--token", "t")).isEqualTo(2);
        assertThat(terminal.err()).contains("certificates list", "did not answer");
    }

    @Test
    void aFileThatIsNotACertificateChainIsRefusedBeforeAnythingIsSent() throws Exception {
        Path big = dir.resolve("big.pem");
        Files.write(big, new byte[200_000]);
        assertThat(run("certificates", "import-partner", "--address", "smime:a@b.example", "--api",
                "http://127.0.0.1:1", "--token", "t", big.toString())).isEqualTo(2);
        assertThat(terminal.err()).contains("not a certificate chain");
    }
}
