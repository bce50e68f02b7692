package de.amtsbote.gateway.evidence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.amtsbote.crypto.Crypto;
import de.amtsbote.crypto.evidence.EvidenceException;
import de.amtsbote.crypto.evidence.EvidenceProblem;
import de.amtsbote.crypto.evidence.EvidenceVerifier;
import de.amtsbote.crypto.keys.KeyVault;
import de.amtsbote.crypto.policy.AlgorithmPolicy;
import de.amtsbote.gateway.certificates.CryptoAccess;
import de.amtsbote.gateway.testing.TestVault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secure default: with a key store, no start without an evidence key; without one, visibly unsigned documents. */
class EvidenceSealTest {

    @TempDir
    Path dir;

    private static EvidenceDocument document() {
        return new EvidenceDocument("ev1", EvidenceEvent.SUBMISSION_ACCEPTANCE, Instant.parse("2026-03-01T10:00:00Z"),
                "m1", null, "stadt-bad-vilbel", List.of("loopback:poststelle@loopback.example"), null, null,
                "ACCEPTED", null, "node-1", null, "ab".repeat(32), "Az. 4711", null, null, null, null);
    }

    @Test
    void aKeyStoreWithoutAnEvidenceKeyStopsTheStartNamingWhatToDo() throws Exception {
        try (KeyVault empty = TestVault.createIn(dir).open()) {
            Crypto crypto = Crypto.of(AlgorithmPolicy.bsi(), empty, (c, i, u, at) -> {
                throw new AssertionError("nothing is validated here");
            }, Clock.systemUTC());

            assertThatThrownBy(() -> new EvidenceSeal(new CryptoAccess(Optional.of(crypto))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no active EVIDENCE key for owner 'gateway'")
                    .hasMessageContaining("import the certificate");
        }
    }

    @Test
    void withoutAKeyStoreDocumentsAreMarkedUnsignedAndTheVerifierSaysSo() throws Exception {
        EvidenceSeal seal = new EvidenceSeal(new CryptoAccess(Optional.empty()));

        byte[] document = seal.seal(document());

        assertThat(seal.signs()).isFalse();
        assertThat(new String(document, UTF_8)).contains("<Unsigned>written by a gateway without a key store");
        EvidenceVerifier verifier = new EvidenceVerifier(AlgorithmPolicy.bsi(), (c, i, u, at) -> {
            throw new AssertionError("an unsigned document has no signer to validate");
        });
        EvidenceException e = catchThrowableOfType(EvidenceException.class, () -> verifier.verify(document));
        assertThat(e.problem()).isEqualTo(EvidenceProblem.UNSIGNED);
        assertThat(e.getMessage()).contains("proves nothing by itself");
    }
}
