package de.amtsbote.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The CLI run in-process, its output and errors captured as a user's terminal would show them. */
final class Terminal {

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    /** Runs {@code ./amtsbote <args>}; output adds to what earlier runs printed. Returns the exit code. */
    int run(String... args) {
        CommandLine cli = AmtsboteCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Forgets what was printed so far. */
    void clear() {
        out = new StringWriter();
        err = new StringWriter();
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
