package de.amtsbote.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class LoadResultsTest {

    private static LoadResults.StepResult step(String db, String channel, int clients, double accepts,
                                               double delivered) {
        Latencies.Summary latency = new Latencies.Summary(100, 12, 10, 20, 40, 55);
        DeliveryTimes.Outcome d = new DeliveryTimes.Outcome(50, 50, 0, 0, Latencies.Summary.EMPTY,
                new Latencies.Summary(50, 300, 250, 500, 900, 950), 1.5, delivered, List.of());
        return new LoadResults.StepResult(db, channel, clients, (long) (accepts * 4), 0, 0, 4, accepts, latency, d,
                List.of());
    }

    static LoadResults example() {
        CryptoCeiling.Rates ceiling = new CryptoCeiling.Rates(400, 2, 760, 14_200);
        List<LoadResults.StepResult> steps = List.of(step("h2", "smime", 1, 20, 18), step("h2", "smime", 4, 50, 40),
                step("h2", "loopback", 1, 90, 88), step("h2", "loopback", 4, 150, 120));
        return new LoadResults("load", "quick", "2026-01-01T00:00:00Z", 95.5, Map.of("cores", 2), "./amtsbote bench load",
                "PostgreSQL 15", LoadOptions.parse().asMap(), ceiling, LoadResults.headline(steps, ceiling), steps,
                List.of(new LoadResults.DispatchRound(2, 202, 1.2, 0, 1.5, 134.7, 150, Map.of("bench-pg-a", 101L,
                        "bench-pg-b", 101L), true)),
                List.of(new LoadResults.NodeStart("h2", "h2", 9.5)),
                List.of(new MemorySampler.Sample(1.0, "h2", "h2/smime/4", 120.5, 380.2)), Map.of(),
                List.of("a note"));
    }

    @Test
    void theHeadlineTakesTheBestStepOfEachDatabaseAndChannel() {
        List<LoadResults.Headline> h = example().headline();
        assertThat(h).hasSize(2);
        LoadResults.Headline smime = h.get(0);
        assertThat(smime.channel()).isEqualTo("smime");
        assertThat(smime.acceptsPerSecond()).isEqualTo(50);
        assertThat(smime.atClients()).isEqualTo(4);
        assertThat(smime.deliveredPerSecond()).isEqualTo(40);
        assertThat(smime.ofCeilingOneThread()).isCloseTo(0.1, within(1e-9));
        assertThat(smime.ofCeilingAllCores()).isCloseTo(40 / 760.0, within(1e-9));
        assertThat(h.get(1).ofCeilingAllCores()).as("no ceiling ratio for the loopback channel").isZero();
    }

    @Test
    void writesEveryFigureAsJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results/load-quick.json");
        example().write(file);
        JsonNode json = LoadResults.JSON.readTree(Files.readString(file));
        assertThat(json.path("benchmark").asString()).isEqualTo("load");
        assertThat(json.path("ceiling").path("allThreads").asDouble()).isEqualTo(760);
        JsonNode step = json.path("steps").path(1);
        assertThat(step.path("acceptsPerSecond").asDouble()).isEqualTo(50);
        assertThat(step.path("acceptLatency").path("p99Ms").asDouble()).isEqualTo(40);
        assertThat(step.path("deliveries").path("submitToDelivered").path("p50Ms").asDouble()).isEqualTo(250);
        assertThat(json.path("dispatch").path(0).path("byNode").path("bench-pg-b").asLong()).isEqualTo(101);
        assertThat(json.path("memory").path(0).path("rssMiB").asDouble()).isEqualTo(380.2);
        assertThat(json.path("settings").path("clients").path(1).asInt()).isEqualTo(4);
        assertThat(json.path("headline").path(0).path("ofCeilingOneThread").asDouble()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void theSummaryHasATableRowPerStepAndLinksTheChartsRelatively(@TempDir Path dir) {
        String md = LoadMarkdown.render(example(), Map.of("accepts", dir.resolve("charts/load-quick-accepts.png")),
                dir.resolve("load-quick.md"));
        assertThat(md).contains("| h2 | smime | 4 | 200 | 50.0 |");
        assertThat(md).contains("| 2 | 202 | 1.50 | 134.7 |");
        assertThat(md).contains("(charts/load-quick-accepts.png)");
        assertThat(md).contains("0.100 / 0.053");
    }
}
