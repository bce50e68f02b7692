package de.amtsbote.crypto.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/crypto-policy.md is what administrators read; it must say what the code does, row by row. */
class PolicyDocumentationTest {

    @Test
    void documentsEveryRowOfThePolicyInItsTable() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "crypto-policy.md"), StandardCharsets.UTF_8);
        String allowed = section(doc, "### Allowed", "### Legacy");
        String legacy = section(doc, "### Legacy", "### Refused");
        String refused = section(doc, "### Refused", "## Peer exceptions");
        for (PolicyEntry row : AlgorithmPolicy.bsi().table()) {
            String line = "| " + row.subject() + " | " + row.source() + " |";
            String table = switch (row.status()) {
                case ALLOWED -> allowed;
                case LEGACY_INBOUND -> legacy;
                case REFUSED -> refused;
            };
            assertThat(table).as("docs/crypto-policy.md lists %s under %s", row.subject(), row.status()).contains(line);
        }
    }

    private static String section(String doc, String from, String to) {
        return doc.substring(doc.indexOf(from), doc.indexOf(to));
    }
}
