package de.amtsbote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI commands that need no running gateway, and what a user sees when one is needed but missing. */
class CliTest {

    @TempDir
    Path dir;

    private final Terminal terminal = new Terminal();

    private int run(String... args) {
        return terminal.run(args);
    }

    @Test
    void clientTokenPrintsATokenAndTheDigestToConfigure() {
        int exit = run("client-token", "--client", "fachverfahren-bauamt", "--participant", "stadt-bad-vilbel");

        assertThat(exit).isZero();
        Matcher token = Pattern.compile("\\n  ([A-Za-z0-9_-]{43})\\n").matcher(terminal.out());
        assertThat(token.find()).as(terminal.out()).isTrue();
        String digest = ContentDigester.hexOf(token.group(1).getBytes(StandardCharsets.UTF_8));
        assertThat(terminal.out()).contains("- id: fachverfahren-bauamt", "token-sha256: " + digest,
                "participants: [stadt-bad-vilbel]");
    }

    @Test
    void everyClientTokenIsNew() {
        assertThat(ClientTokenCommand.newToken()).isNotEqualTo(ClientTokenCommand.newToken()).hasSize(43);
    }

    @Test
    void contentKeyCreatesAKeyReadableOnlyByItsOwner() throws Exception {
        int exit = run("content-key", dir.toString());

        assertThat(exit).isZero();
        try (var files = Files.list(dir)) {
            Path key = files.filter(p -> p.toString().endsWith(".key")).findFirst().orElseThrow();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        assertThat(terminal.out()).contains("created content key 'content-");
    }

    @Test
    void clientTokenWithoutAParticipantIsAUsageError() {
        int exit = run("client-token", "--client", "fachverfahren-bauamt");

        assertThat(exit).isEqualTo(2);
        assertThat(terminal.err()).contains("Missing required option: '--participant=<participants>'");
        assertThat(terminal.out()).as("no token made").isEmpty();
    }

    @Test
    void contentKeyRefusesAFileInPlaceOfTheKeyDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "not a directory");

        int exit = run("content-key", file.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(terminal.err()).contains("content-key: " + file + " is a file, not a key directory");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void sendNamesAMissingAttachment() {
        int exit = run("send", "--api", "http://127.0.0.1:9", "--token", "t", "--from", "stadt-bad-vilbel",
                "--to", "participant:kreis-bergstrasse", "--subject", "x", "--attach", dir.resolve("fehlt.pdf").toString());

        assertThat(exit).isNotZero();
        assertThat(terminal.err()).contains("no such file", "fehlt.pdf");
    }

    @Test
    void statusSaysWhichGatewayDidNotAnswer() {
        int exit = run("status", "--api", "http://127.0.0.1:9", "--token", "t", "some-id");

        assertThat(exit).isNotZero();
        assertThat(terminal.err()).contains("the gateway at http://127.0.0.1:9 did not answer");
    }

    @Test
    void helpListsTheCommands() {
        run("--help");
        assertThat(terminal.out()).contains("demo", "send", "status", "client-token", "content-key", "console-user",
                "audit", "keys");
    }
}
