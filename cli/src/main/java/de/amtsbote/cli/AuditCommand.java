package de.amtsbote.cli;

import de.amtsbote.crypto.audit.AuditVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./amtsbote audit verify}: checks the gateway's audit trail for tampering, offline or fetched from the API. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the tamper-evident audit trail.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify an audit export: every hash, every link, no gaps, every checkpoint's signature.",
                    "Exit 0: intact; 1: tampering found (the first place is named); 2: the export cannot be read."})
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Option(names = "--export", paramLabel = "FILE",
                description = "an export (GET /api/v1/audit/export); without it the export is fetched from the gateway")
        Path export;

        @Option(names = "--trust", paramLabel = "CA.pem", description = "CA certificate(s) of the evidence key")
        Path trust;

        @Option(names = "--allow-unsigned", description = "accept unsigned checkpoints (a gateway without key store)")
        boolean allowUnsigned;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AuditVerifier verifier;
            try {
                verifier = trust == null ? AuditVerifier.withoutTrust() : AuditVerifier.trusting(trust, allowUnsigned);
            } catch (IOException | CertificateException e) {
                err.println("cannot read the CA certificate " + trust + ": " + e.getMessage());
                return 2;
            }
            AuditVerifier.Report report;
            try (BufferedReader in = open(err)) {
                if (in == null) {
                    return 2;
                }
                report = AuditExportReader.verify(verifier, in);
            }
            out.println(report.entries() + " entries, " + report.checkpoints() + " checkpoints ("
                    + report.signedCheckpoints() + " validly signed)");
            report.warnings().forEach(w -> out.println("warning: " + w));
            if (report.intact()) {
                out.println("audit trail intact");
                return 0;
            }
            err.println("audit trail TAMPERED: " + report.first().orElseThrow());
            report.problems().stream().skip(1).forEach(p -> err.println("  also: " + p));
            return 1;
        }

        private BufferedReader open(PrintWriter err) throws IOException, InterruptedException {
            if (export != null) {
                if (!Files.isReadable(export)) {
                    err.println("cannot read the export " + export);
                    return null;
                }
                return Files.newBufferedReader(export, StandardCharsets.UTF_8);
            }
            URI api = connection.api();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/audit/export"))
                    .header("Authorization", "Bearer " + connection.token()).header("Accept", "application/jsonl")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                try (InputStream body = response.body()) {
                    err.println("the gateway answered " + response.statusCode() + " for the audit export: "
                            + new String(body.readNBytes(2000), StandardCharsets.UTF_8));
                }
                return null;
            }
            return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }
    }
}
