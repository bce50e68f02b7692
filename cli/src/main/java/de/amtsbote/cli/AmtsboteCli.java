package de.amtsbote.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./amtsbote}: the demo and the command line for security officers, operators and integrators. */
@Command(name = "amtsbote", mixinStandardHelpOptions = true, version = "Amtsbote 0.1.0",
        description = "Secure messaging gateway for public administration.",
        subcommands = {DemoCommand.class, SendCommand.class, StatusCommand.class, ClientTokenCommand.class,
                ContentKeyCommand.class, VerifyEvidenceCommand.class, EvidenceBundleCommand.class,
                AuditCommand.class, KeysCommand.class, ConsoleUserCommand.class, TrustCommand.class,
                CertificatesCommand.class, CommandLine.HelpCommand.class})
public final class AmtsboteCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new AmtsboteCli());
    }
}
