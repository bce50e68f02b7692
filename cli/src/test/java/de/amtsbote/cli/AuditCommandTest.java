package de.amtsbote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.amtsbote.crypto.content.ContentDigester;
import de.amtsbote.crypto.pki.CertificateAuthority;
import de.amtsbote.crypto.pki.KeySpec;
import de.amtsbote.crypto.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./amtsbote audit verify --export} on exports written here, of a gateway without a key store (unsigned
 * checkpoints). Signed checkpoints and exports of a real gateway are verified in the gateway's AuditContract.
 */
class AuditCommandTest {

    @TempDir
    Path dir;

    private final Terminal terminal = new Terminal();

    private int run(String... args) {
        return terminal.run(args);
    }

    /** An export of {@code n} entries with an unsigned checkpoint at seq 3 (recorded by entry 4); detail changeable. */
    private Path export(int n, int changed) throws Exception {
        List<String> lines = new ArrayList<>();
        String previous = "0".repeat(64);
        String atThree = null;
        for (int seq = 1; seq <= n; seq++) {
            String action = seq == 4 ? "audit.checkpointed" : "message.submitted";
            String detail = seq == 4 ? "{\"head\":\"" + atThree + "\",\"signed\":false,\"upTo\":3}" : "{}";
            String subjects = seq == 4 ? "checkpoint:3" : "message:m-" + seq;
            String time = "2026-11-25T09:31:1%d.000000Z".formatted(seq % 10);
            String hash = hash(seq, time, "node-1", "CLIENT", "fachverfahren", action, subjects, detail, previous);
            lines.add(("{\"type\":\"entry\",\"seq\":%d,\"time\":\"%s\",\"node\":\"node-1\",\"actorKind\":\"CLIENT\","
                    + "\"actorId\":\"fachverfahren\",\"action\":\"%s\",\"subjects\":\"%s\",\"detail\":\"%s\","
                    + "\"previous\":\"%s\",\"hash\":\"%s\"}").formatted(seq, time, action, subjects,
                    (seq == changed ? "{\"x\":1}" : detail).replace("\"", "\\\""), previous, hash));
            if (seq == 3) {
                atThree = hash;
            }
            previous = hash;
        }
        lines.add("{\"type\":\"checkpoint\",\"seq\":3,\"hash\":\"" + atThree + "\",\"time\":\"2026-11-25T09:31:13"
                + ".500000Z\",\"node\":\"node-1\",\"signed\":false,\"document\":null}");
        lines.add("{\"type\":\"head\",\"seq\":" + n + ",\"hash\":\"" + previous + "\"}");
        Path file = dir.resolve("export-" + changed + ".jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static String hash(long seq, String... fields) {
        StringBuilder b = new StringBuilder("amtsbote-audit-v1\n").append(Long.toString(seq).length()).append(':')
                .append(seq).append('\n');
        for (String f : fields) {
            b.append(f.getBytes(StandardCharsets.UTF_8).length).append(':').append(f).append('\n');
        }
        return ContentDigester.hexOf(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anIntactExportExitsZeroAndCountsEntriesAndCheckpoints() throws Exception {
        int exit = run("audit", "verify", "--export", export(6, 0).toString());

        assertThat(exit).as(terminal.err()).isZero();
        assertThat(terminal.out()).contains("6 entries, 1 checkpoints (0 validly signed)", "audit trail intact",
                "warning: 6 entries after seq 0 are not yet covered by a signed checkpoint");
    }

    @Test
    void aChangedEntryExitsOneNamingIt() throws Exception {
        int exit = run("audit", "verify", "--export", export(6, 2).toString());

        assertThat(exit).isEqualTo(1);
        assertThat(terminal.err()).contains("audit trail TAMPERED: changed entry seq 2: hash mismatch");
    }

    @Test
    void anUnsignedCheckpointIsRefusedWhenACaIsGivenUnlessAllowed() throws Exception {
        Path export = export(6, 0);
        Path ca = dir.resolve("ca.pem");
        // any CA: the checkpoints are unsigned, so it is read but never asked
        Pem.writeCertificate(ca, CertificateAuthority.root("Audit Test Root", KeySpec.ec("P-256"), Clock.systemUTC())
                .certificate());

        assertThat(run("audit", "verify", "--export", export.toString(), "--trust", ca.toString())).isEqualTo(1);
        assertThat(terminal.err()).contains("checkpoint at seq 3 is unsigned", "--allow-unsigned");

        assertThat(run("audit", "verify", "--export", export.toString(), "--trust", ca.toString(),
                "--allow-unsigned")).as(terminal.err()).isZero();
    }

    @Test
    void aLineThatIsNotJsonIsNamed() throws Exception {
        Path export = export(3, 0);
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        lines.add(1, "not json");
        Files.write(export, lines);

        assertThat(run("audit", "verify", "--export", export.toString())).isEqualTo(1);
        assertThat(terminal.err()).contains("line 2 is not JSON");
    }

    @Test
    void aMissingExportOrCaExitsTwo() throws Exception {
        assertThat(run("audit", "verify", "--export", dir.resolve("missing.jsonl").toString())).isEqualTo(2);
        assertThat(terminal.err()).contains("cannot read the export");

        assertThat(run("audit", "verify", "--export", export(3, 0).toString(), "--trust",
                dir.resolve("missing.pem").toString())).isEqualTo(2);
        assertThat(terminal.err()).contains("cannot read the CA certificate");
    }

    @Test
    void aRefusedTokenExitsTwoWithTheGatewaysAnswer() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/audit/export", exchange -> {
            byte[] body = "{\"status\":401,\"detail\":\"unknown bearer token\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int exit = run("audit", "verify", "--api", "http://127.0.0.1:" + server.getAddress().getPort(), "--token",
                    "wrong");
            assertThat(exit).isEqualTo(2);
            assertThat(terminal.err()).contains("the gateway answered 401 for the audit export", "unknown bearer token");
        } finally {
            server.stop(0);
        }
    }
}
