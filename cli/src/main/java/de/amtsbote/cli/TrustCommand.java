package de.amtsbote.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./amtsbote trust}: the certificate authorities a running gateway trusts, through its API (a client system
 * with the role SECURITY_OFFICER): list them, add a CA certificate from a PEM file, remove one added earlier. A change
 * applies on every node of the gateway without a restart and is in its audit trail as the client system. Exit codes:
 * 0 done; 1 the gateway refused (the reason is printed); 2 usage or I/O error (file unreadable, gateway not reachable,
 * token not allowed); 3 no anchor with that fingerprint.
 */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"The trust anchors of a running gateway: list, add FILE --reason …, remove FINGERPRINT --reason ….",
                "Exit 0: done; 1: refused by the gateway; 2: usage or I/O error; 3: no such trust anchor."},
        subcommands = {TrustCommand.ListAnchors.class, TrustCommand.Add.class, TrustCommand.Remove.class})
final class TrustCommand {

    static final String PATH = "/api/v1/trust-anchors";

    private TrustCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the trust anchors in force (configured and added) and those removed.")
    static final class ListAnchors implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Override
        public Integer call() {
            GatewayApi.Answer answer = new GatewayApi(connection.api(), connection.token()).get(PATH);
            if (!answer.ok()) {
                return refused(spec, answer);
            }
            PrintWriter out = spec.commandLine().getOut();
            JsonNode anchors = answer.body().get("anchors");
            out.println(anchors.size() + " trust anchor(s) in force:");
            for (JsonNode a : anchors) {
                print(out, a);
            }
            JsonNode removed = answer.body().get("removed");
            if (!removed.isEmpty()) {
                out.println(removed.size() + " removed:");
                for (JsonNode a : removed) {
                    print(out, a);
                }
            }
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add the CA certificate in a PEM file as a trust anchor.")
    static final class Add implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "FILE", description = "the CA certificate (PEM, one certificate)")
        Path file;

        @Option(names = "--reason", required = true, description = "why it is trusted (kept in the audit trail)")
        String reason;

        @Override
        public Integer call() {
            String pem;
            try {
                pem = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException | UncheckedIOException e) {
                spec.commandLine().getErr().println("cannot read " + file + ": " + e.getMessage());
                return 2;
            }
            GatewayApi.Answer answer = new GatewayApi(connection.api(), connection.token())
                    .post(PATH + "?reason=" + encoded(reason), "application/x-pem-file",
                            pem.getBytes(StandardCharsets.US_ASCII));
            if (!answer.ok()) {
                return refused(spec, answer);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("trust anchor added; it applies on every node of the gateway without a restart:");
            print(out, answer.body());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a trust anchor that was added at run time (configured ones stay: edit the file).")
    static final class Remove implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "FINGERPRINT", description = "its SHA-256 fingerprint (hex, as listed)")
        String fingerprint;

        @Option(names = "--reason", required = true, description = "why it is no longer trusted")
        String reason;

        @Override
        public Integer call() {
            GatewayApi.Answer answer = new GatewayApi(connection.api(), connection.token())
                    .delete(PATH + "/" + encoded(fingerprint) + "?reason=" + encoded(reason));
            if (!answer.ok()) {
                return refused(spec, answer);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("trust anchor removed; certificates under it are no longer accepted:");
            print(out, answer.body());
            return 0;
        }
    }

    private static void print(PrintWriter out, JsonNode a) {
        out.println("  " + a.get("fingerprint").asString() + "  " + a.get("subject").asString());
        String source = "CONFIGURATION".equals(a.get("source").asString())
                ? "configured in " + a.get("file").asString()
                : change("added", a.get("added"));
        out.println("      valid until " + a.get("notAfter").asString() + " (" + a.get("daysLeft").asLong()
                + " days left); " + source);
        if (a.hasNonNull("removed")) {
            out.println("      " + change("removed", a.get("removed")));
        }
    }

    private static String change(String what, JsonNode c) {
        return what + " by " + c.get("by").asString() + " via " + c.get("via").asString() + " at "
                + c.get("at").asString() + ": " + c.get("reason").asString();
    }

    private static int refused(CommandSpec spec, GatewayApi.Answer answer) {
        String reason = answer.reason() == null ? "" : " [" + answer.reason() + "]";
        spec.commandLine().getErr().println("the gateway refused (" + answer.status() + "): " + answer.problem()
                + reason);
        return switch (answer.status()) {
            case 404 -> 3;
            case 401, 403 -> 2;
            default -> 1;
        };
    }

    private static String encoded(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
