package de.amtsbote.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Makes the configuration entry of a console user: the password is asked for twice on the terminal without echo (or
 * read as one line from standard input), hashed with bcrypt, and only the hash is printed, as the YAML entry for
 * {@code amtsbote.console.users}. The password itself is never printed, logged or written anywhere.
 */
@Command(name = "console-user", mixinStandardHelpOptions = true,
        description = {"Make the configuration entry of a web console user: asks for the password twice (no echo),"
                + " prints the YAML entry for amtsbote.console.users with a bcrypt hash of it (cost "
                + ConsoleUserCommand.COST + "). The password is never printed.",
                "Exit 0: printed; 1: the password was refused (shorter than " + ConsoleUserCommand.MIN_LENGTH
                        + " characters, longer than bcrypt takes, or the two entries differ); 2: usage error or no"
                        + " password to read."})
final class ConsoleUserCommand implements Callable<Integer> {

    static final int COST = 12;
    static final int MIN_LENGTH = 12;
    /** bcrypt reads no more than 72 bytes of a password; a longer one would be cut without a word. */
    static final int MAX_BYTES = 72;
    /** The names the gateway accepts (ConsoleUsers). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@\"]+@[^\\s@\"]+\\.[^\\s@\"]+");

    /** The console roles (the gateway's ConsoleRole; the CLI does not depend on the gateway). */
    enum Role { SECURITY_OFFICER, OPERATOR, AUDITOR }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the user name (letters, digits, '.', '_', '@', '-')")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", description = "SECURITY_OFFICER, OPERATOR or AUDITOR; repeat for"
            + " several (separation of duties: give a second role only on purpose)")
    List<Role> roles = new ArrayList<>();

    @Option(names = "--email", paramLabel = "ADDRESS", description = "receives certificate expiry alerts (officers)")
    String email;

    @Option(names = "--password-stdin", description = "read the password as one line from standard input instead of"
            + " asking on the terminal (for scripts; beware of shell history)")
    boolean passwordStdin;

    @Option(names = "--hash-only", description = "print only the password hash ({bcrypt}…), not the YAML entry")
    boolean hashOnly;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!NAME.matcher(name).matches()) {
            err.println("console-user: the name '" + name + "' is not accepted by the gateway: 1 to 100 letters,"
                    + " digits, '.', '_', '@' or '-'");
            return 2;
        }
        if (roles.isEmpty() && !hashOnly) {
            err.println("console-user: give at least one --role (SECURITY_OFFICER, OPERATOR or AUDITOR)");
            return 2;
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            err.println("console-user: --email '" + email + "' is not an e-mail address");
            return 2;
        }
        char[] password;
        if (passwordStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                err.println("console-user: --password-stdin, but standard input is empty");
                return 2;
            }
            password = line.toCharArray();
        } else {
            Console console = System.console();
            if (console == null) {
                err.println("console-user: no terminal to ask for the password on; use --password-stdin");
                return 2;
            }
            password = console.readPassword("Password for %s: ", name);
            char[] again = password == null ? null : console.readPassword("Repeat the password: ");
            if (password == null || again == null) {
                err.println("console-user: no password entered");
                return 2;
            }
            boolean same = Arrays.equals(password, again);
            Arrays.fill(again, '\0');
            if (!same) {
                Arrays.fill(password, '\0');
                err.println("console-user: the two passwords differ; nothing printed");
                return 1;
            }
        }
        try {
            String refused = refusal(password);
            if (refused != null) {
                err.println("console-user: password refused: " + refused);
                return 1;
            }
            String hash = "{bcrypt}" + new BCryptPasswordEncoder(COST).encode(CharBuffer.wrap(password));
            if (hashOnly) {
                out.println(hash);
                return 0;
            }
            out.println("# add under amtsbote.console.users (the password itself is not stored anywhere):");
            out.println("- name: " + name);
            out.println("  password-hash: \"" + hash + "\"");
            out.println("  roles: [ " + new LinkedHashSet<>(roles).stream().map(Enum::name)
                    .collect(Collectors.joining(", ")) + " ]");
            if (email != null) {
                out.println("  email: " + email);
            }
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Why the password is refused, or null. */
    private static String refusal(char[] password) {
        if (password.length < MIN_LENGTH) {
            return "shorter than " + MIN_LENGTH + " characters (" + password.length + ")";
        }
        if (StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining() > MAX_BYTES) {
            return "longer than " + MAX_BYTES + " bytes; bcrypt would ignore the rest";
        }
        return null;
    }
}
