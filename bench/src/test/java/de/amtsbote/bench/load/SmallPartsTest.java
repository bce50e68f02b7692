package de.amtsbote.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void theEvidenceSampleIsSpreadOverTheStepAndEndsWithItsLastMessages() {
        List<LoadStep.Submission> all = LongStream.range(0, 1000).mapToObj(i -> new LoadStep.Submission("m" + i, i))
                .toList();
        List<LoadStep.Submission> sample = DeliveryTimes.sample(all, 50);
        assertThat(sample).hasSizeBetween(45, 50);
        assertThat(sample.get(0).id()).isEqualTo("m0");
        assertThat(sample.subList(sample.size() - 5, sample.size())).extracting(LoadStep.Submission::id)
                .containsExactly("m995", "m996", "m997", "m998", "m999");
        assertThat(sample).isSortedAccordingTo((a, b) -> Long.compare(a.submittedMicros(), b.submittedMicros()));
        assertThat(DeliveryTimes.sample(all.subList(0, 10), 50)).hasSize(10);
    }

    @Test
    void hotMethodsCountTheTopFrameAsSelfAndEveryMethodOnTheStackOnce() {
        List<List<String>> stacks = List.of(
                List.of("java.math.BigInteger.montgomeryMultiply", "de.amtsbote.crypto.cms.CmsSigner.sign",
                        "de.amtsbote.gateway.dispatch.DeliveryDispatcher.handle"),
                List.of("java.math.BigInteger.montgomeryMultiply", "java.math.BigInteger.modPow",
                        "java.math.BigInteger.montgomeryMultiply", "de.amtsbote.crypto.cms.CmsSigner.sign"),
                List.of("org.h2.store.FileStore.sync", "de.amtsbote.gateway.submission.Acceptance.accept"),
                List.of());
        JfrProfile.HotMethods hot = JfrProfile.aggregate("x.jfr", stacks, 2);
        assertThat(hot.samples()).isEqualTo(3);
        assertThat(hot.self()).containsExactly(new JfrProfile.Hot("java.math.BigInteger.montgomeryMultiply", 200 / 3.0),
                new JfrProfile.Hot("org.h2.store.FileStore.sync", 100 / 3.0));
        assertThat(hot.total().get(0)).isEqualTo(new JfrProfile.Hot("de.amtsbote.crypto.cms.CmsSigner.sign", 200 / 3.0));
        assertThat(hot.ownTotal()).extracting(JfrProfile.Hot::method)
                .allMatch(m -> m.startsWith("de.amtsbote."));
        assertThat(JfrProfile.describe("h2/smime/4", hot)).contains("66.7 %  java.math.BigInteger.montgomeryMultiply");
    }

    @Test
    void cleanupClosesInReverseOrderAndAtOnceWhatComesAfterwards() {
        List<String> closed = new ArrayList<>();
        Cleanup cleanup = new Cleanup();
        cleanup.add("database", () -> closed.add("database"));
        cleanup.add("node a", () -> closed.add("node a"));
        cleanup.add("node b", () -> {
            closed.add("node b");
            throw new IllegalStateException("already gone");
        });
        cleanup.closeNow("node a");
        assertThat(closed).containsExactly("node a");
        cleanup.close();
        assertThat(closed).containsExactly("node a", "node b", "database");
        cleanup.add("late", () -> closed.add("late"));
        assertThat(closed).endsWith("late");
        cleanup.close();
        assertThat(closed).hasSize(4);
    }

    @Test
    void aSubmissionIsTheEnvelopeFirstThenTheAttachment() {
        String body = new String(LoadClient.multipart("b", Channel.SMIME.envelope(7), "a.pdf",
                "%PDF".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8);
        assertThat(body).startsWith("--b\r\nContent-Disposition: form-data; name=\"envelope\"");
        assertThat(body.indexOf("name=\"envelope\"")).isLessThan(body.indexOf("name=\"attachment\""));
        assertThat(body).contains("\"sign\": true, \"encrypt\": true, \"receipts\": [\"delivery\"]");
        assertThat(body).contains("\"recipients\": [\"smime:erika.mustermann@example.org\"]");
        assertThat(body).endsWith("%PDF\r\n--b--\r\n");
        assertThat(Channel.LOOPBACK.envelope(1)).contains("\"sign\": false").contains("\"receipts\": []");
    }

    @Test
    void theRawCeilingsEntityIsTheMixedMessageWithTheAttachmentInBase64() {
        String entity = new String(CryptoCeiling.mixedEntity(new byte[] {1, 2, 3}), StandardCharsets.US_ASCII);
        assertThat(entity).startsWith("Content-Type: multipart/mixed;").contains("AQID").endsWith("--\r\n");
        assertThat(entity.replace("\r\n", "")).doesNotContain("\n");
    }
}
