package de.amtsbote.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * Fetches a message's evidence bundle (a zip: evidence documents, certificate chain, digests, the PDF
 * Zustellnachweis). The zip is streamed to a file beside the target and moved into place only when complete, so a
 * broken download never leaves a partial bundle under the requested name.
 */
@Command(name = "evidence-bundle", mixinStandardHelpOptions = true,
        description = "Download a message's evidence bundle (zip with evidence, certificates, digests and PDF).")
final class EvidenceBundleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection = new Connection();

    @Parameters(index = "0", description = "message id")
    String id;

    @Option(names = {"-o", "--output"}, description = "file to write (default: evidence-<id>.zip)")
    Path output;

    @Override
    public Integer call() throws IOException {
        Path target = output != null ? output : Path.of("evidence-" + id + ".zip");
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, "." + target.getFileName(), ".part");
        try {
            URI api = connection.api();
            // the CLI's JSON client (GatewayApi) reads answers into memory; a bundle is streamed to disk instead
            HttpRequest request = HttpRequest.newBuilder(api.resolve("/api/v1/messages/" + id + "/evidence-bundle"))
                    .timeout(Duration.ofMinutes(30)).header("Authorization", "Bearer " + connection.token()).GET()
                    .build();
            HttpResponse<Path> r;
            try {
                r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build()
                        .send(request, HttpResponse.BodyHandlers.ofFile(partial));
            } catch (IOException e) {
                throw new UncheckedIOException("the gateway at " + api + " did not answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (r.statusCode() != 200) {
                spec.commandLine().getErr().println("no evidence bundle for " + id + ": " + problem(partial,
                        r.statusCode()));
                return r.statusCode() == 404 ? 3 : 2;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println("wrote " + target + " (" + Files.size(target) + " bytes)");
            return 0;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String problem(Path answer, int status) {
        try {
            JsonNode body = GatewayApi.JSON.readTree(Files.readString(answer));
            return body != null && body.has("detail") ? body.get("detail").asString() : "HTTP " + status;
        } catch (RuntimeException | IOException e) {
            return "HTTP " + status; // not a problem document: the status is all there is to say
        }
    }
}
