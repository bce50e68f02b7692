package de.amtsbote.cli;

import de.amtsbote.crypto.audit.AuditVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an audit export ({@code GET /api/v1/audit/export}: JSON lines of type {@code entry}, {@code checkpoint} and
 * {@code head}) line by line into the shared verifier ({@link AuditVerifier} in crypto, which the gateway's console
 * uses as well); a line that is not JSON or of an unknown type is reported, not fatal.
 */
public final class AuditExportReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditExportReader() {
    }

    public static AuditVerifier.Report verify(AuditVerifier verifier, BufferedReader export) throws IOException {
        AuditVerifier.Verification verification = verifier.start();
        String line;
        int lineNumber = 0;
        while ((line = export.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (JacksonException e) {
                verification.malformed("line " + lineNumber + " is not JSON: " + e.getOriginalMessage());
                continue;
            }
            String type = Objects.requireNonNullElse(text(n, "type"), "");
            switch (type) {
                case "entry" -> verification.entry(new AuditVerifier.Entry(n.path("seq").asLong(), text(n, "time"),
                        text(n, "node"), text(n, "actorKind"), text(n, "actorId"), text(n, "action"),
                        text(n, "subjects"), text(n, "detail"), text(n, "previous"), text(n, "hash")));
                case "checkpoint" -> verification.checkpoint(new AuditVerifier.Checkpoint(n.path("seq").asLong(),
                        text(n, "hash"), text(n, "time"), text(n, "node"), text(n, "document")));
                case "head" -> verification.head(n.path("seq").asLong(), text(n, "hash"));
                default -> verification.malformed("line " + lineNumber + " has an unknown type '" + type + "'");
            }
        }
        return verification.finish();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
