package de.amtsbote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import picocli.CommandLine;

/**
 * {@code ./amtsbote console-user}: the YAML entry of a console user with a bcrypt hash, never the password. The
 * password comes from standard input here ({@code --password-stdin}); the terminal prompt needs a real terminal.
 */
class ConsoleUserCommandTest {

    private static final String PASSWORD = "Amtsbote-Pruefung-2026!";
    private static final Pattern HASH = Pattern.compile("\\{bcrypt}(\\$2[aby]\\$12\\$[./0-9A-Za-z]{53})");

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        InputStream before = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            CommandLine cli = AmtsboteCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void printsTheYamlEntryWithABcryptHashOfCostTwelveAndNeverThePassword() {
        Run r = run(PASSWORD + "\n", "console-user", "m.schneider", "--role", "SECURITY_OFFICER", "--role", "AUDITOR",
                "--email", "m.schneider@bad-vilbel.de", "--password-stdin");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("- name: m.schneider\n", "  roles: [ SECURITY_OFFICER, AUDITOR ]\n",
                "  email: m.schneider@bad-vilbel.de\n").doesNotContain(PASSWORD);
        assertThat(r.err()).doesNotContain(PASSWORD);
        Matcher hash = HASH.matcher(r.out());
        assertThat(hash.find()).as(r.out()).isTrue();
        assertThat(r.out()).contains("  password-hash: \"{bcrypt}" + hash.group(1) + "\"");
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        assertThat(bcrypt.matches(PASSWORD, hash.group(1))).isTrue();
        assertThat(bcrypt.matches(PASSWORD + "x", hash.group(1))).isFalse();
    }

    @Test
    void hashOnlyPrintsJustTheHash() {
        Run r = run(PASSWORD + "\n", "console-user", "a.pruefer", "--hash-only", "--password-stdin");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).matches(HASH.pattern());
        assertThat(new BCryptPasswordEncoder().matches(PASSWORD, r.out().strip().substring("{bcrypt}".length())))
                .isTrue();
    }

    @Test
    void aPasswordShorterThanTwelveCharactersIsRefused() {
        Run r = run("elf-Zeichen\n", "console-user", "o.betrieb", "--role", "OPERATOR", "--password-stdin");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("password refused: shorter than 12 characters (11)").doesNotContain("elf-Zeichen");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsRefused() {
        Run r = run("x".repeat(73) + "\n", "console-user", "o.betrieb", "--role", "OPERATOR", "--password-stdin");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("longer than 72 bytes");
    }

    @Test
    void withoutATerminalAndWithoutStdinItSaysHowToGiveThePassword() {
        // the test runs without a terminal: System.console() is null (or not interactive)
        org.junit.jupiter.api.Assumptions.assumeTrue(System.console() == null, "a terminal is attached");
        Run r = run("", "console-user", "o.betrieb", "--role", "OPERATOR");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no terminal to ask for the password on; use --password-stdin");
    }

    @Test
    void emptyStandardInputIsAnError() {
        Run r = run("", "console-user", "o.betrieb", "--role", "OPERATOR", "--password-stdin");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("standard input is empty");
    }

    @Test
    void aUserWithoutRoleOrWithANameTheGatewayRefusesIsNotMade() {
        Run noRole = run(PASSWORD + "\n", "console-user", "o.betrieb", "--password-stdin");
        assertThat(noRole.exit()).isEqualTo(2);
        assertThat(noRole.err()).contains("give at least one --role");

        Run badName = run(PASSWORD + "\n", "console-user", "Otto Betrieb", "--role", "OPERATOR", "--password-stdin");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("the name 'Otto Betrieb' is not accepted");

        Run badRole = run(PASSWORD + "\n", "console-user", "o.betrieb", "--role", "ADMIN", "--password-stdin");
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("ADMIN");
    }
}
