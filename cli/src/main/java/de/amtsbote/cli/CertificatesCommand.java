package de.amtsbote.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * The running gateway's keys and certificates over its API (a client token with the role SECURITY_OFFICER): list
 * them with their status and days left, and import a partner's certificate. Exit codes: 0 done; 1 something found
 * ({@code list --expiring}: certificates expiring or expired) or the gateway refused the certificate; 2 usage,
 * file or connection error, or the token may not do this.
 */
@Command(name = "certificates", mixinStandardHelpOptions = true,
        description = {"Keys and certificates of the running gateway: list, import-partner.",
                "Needs a client token with the role SECURITY_OFFICER. Exit 0: done; 1: certificates expiring or"
                        + " expired (list --expiring), or the certificate was refused; 2: usage, file or connection"
                        + " error."},
        subcommands = {CertificatesCommand.ListCertificates.class, CertificatesCommand.ImportPartner.class})
final class CertificatesCommand {

    private CertificatesCommand() {
    }

    /** Runs one API call and turns connection and usage errors into a message and exit code 2. */
    abstract static class ApiCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                return run(new GatewayApi(connection.api(), connection.token()), spec.commandLine().getOut(), err);
            } catch (UncheckedIOException e) {
                err.println(spec.qualifiedName() + ": " + e.getMessage()
                        + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
                return 2;
            } catch (IllegalArgumentException e) {
                err.println(spec.qualifiedName() + ": " + e.getMessage());
                return 2;
            }
        }

        abstract int run(GatewayApi api, PrintWriter out, PrintWriter err);

        /** A refusal of the gateway: 1 when it judged the input, 2 when the call itself was wrong or not allowed. */
        int refused(GatewayApi.Answer answer, PrintWriter err) {
            String reason = answer.reason();
            err.println(spec.qualifiedName() + ": " + (reason == null ? "" : "refused (" + reason + "): ")
                    + answer.problem());
            return answer.status() == 422 || (answer.status() == 400 && reason != null) ? 1 : 2;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List own keys and partner certificates: kind, owner or address, purpose or source, state,"
                    + " status, not-after, days left, subject, reference.",
                    "With --expiring only what is in use and expiring or expired; exit 1 if there is any (for cron"
                            + " and monitoring)."})
    static final class ListCertificates extends ApiCommand {

        @Option(names = "--expiring", description = "only certificates in use that are expiring or expired; exit 1"
                + " if any")
        boolean expiring;

        @Override
        int run(GatewayApi api, PrintWriter out, PrintWriter err) {
            GatewayApi.Answer answer = api.get("/api/v1/certificates" + (expiring ? "?expiring=true" : ""));
            if (!answer.ok()) {
                return refused(answer, err);
            }
            JsonNode body = answer.body();
            List<String> rows = new ArrayList<>();
            for (JsonNode k : body.get("ownKeys")) {
                rows.add(String.join("\t", "own", k.get("owner").asString(), k.get("purpose").asString(),
                        k.get("state").asString(), k.get("status").asString(), text(k, "notAfter"),
                        text(k, "daysLeft"), text(k, "subject"), k.get("id").asString()));
            }
            for (JsonNode p : body.get("partnerCertificates")) {
                rows.add(String.join("\t", "partner", p.get("address").asString(), p.get("source").asString(),
                        p.get("current").asBoolean() ? "IN_USE" : "NOT_USED", p.get("status").asString(),
                        text(p, "notAfter"), text(p, "daysLeft"), text(p, "subject"), p.get("fingerprint").asString()));
            }
            if (rows.isEmpty()) {
                out.println(expiring ? "nothing in use expires within " + body.get("expiryWarningDays").asLong()
                        + " days" : "no keys and no partner certificates");
                return 0;
            }
            out.println(String.join("\t", "KIND", "OWNER/ADDRESS", "PURPOSE/SOURCE", "STATE", "STATUS", "NOT-AFTER",
                    "DAYS-LEFT", "SUBJECT", "REFERENCE"));
            rows.forEach(out::println);
            return expiring ? 1 : 0;
        }

        private static String text(JsonNode node, String field) {
            return node.hasNonNull(field) ? node.get(field).asString() : "-";
        }
    }

    @Command(name = "import-partner", mixinStandardHelpOptions = true,
            description = "Import a partner's encryption certificate (PEM: the certificate first, then its issuers)"
                    + " for a channel address. The gateway checks it (valid for encryption now, revocation, algorithm"
                    + " policy) and refuses it with the reason otherwise.")
    static final class ImportPartner extends ApiCommand {

        /** A certificate chain is a few kilobytes; anything much larger is the wrong file. */
        static final long MAX_BYTES = 100_000;

        @Option(names = "--address", required = true, paramLabel = "CHANNEL:ADDRESS",
                description = "the partner's address, e.g. smime:poststelle@kreis-bergstrasse.example")
        String address;

        @Parameters(index = "0", paramLabel = "FILE.pem", description = "the certificate chain, PEM")
        Path file;

        @Override
        int run(GatewayApi api, PrintWriter out, PrintWriter err) {
            byte[] pem;
            try {
                if (!Files.isRegularFile(file)) {
                    err.println(spec.qualifiedName() + ": " + file + " does not exist");
                    return 2;
                }
                if (Files.size(file) > MAX_BYTES) {
                    err.println(spec.qualifiedName() + ": " + file + " is larger than " + MAX_BYTES
                            + " bytes; that is not a certificate chain");
                    return 2;
                }
                pem = Files.readAllBytes(file);
            } catch (IOException e) {
                err.println(spec.qualifiedName() + ": cannot read " + file + ": " + e.getMessage());
                return 2;
            }
            GatewayApi.Answer answer = api.post("/api/v1/certificates/partners?address="
                    + URLEncoder.encode(address, StandardCharsets.UTF_8), "application/pem-certificate-chain", pem);
            if (!answer.ok()) {
                return refused(answer, err);
            }
            JsonNode p = answer.body();
            out.println("imported " + p.get("subject").asString() + " (serial " + p.get("serial").asString()
                    + ", valid until " + p.get("notAfter").asString() + ") for " + p.get("address").asString()
                    + "; fingerprint " + p.get("fingerprint").asString());
            return 0;
        }
    }
}
