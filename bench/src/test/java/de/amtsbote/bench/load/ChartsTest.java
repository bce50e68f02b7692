package de.amtsbote.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @Test
    void drawsAPngForEachKindOfFigureAndRemovesAnEarlierRunsCharts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("load-quick-old.png"), "stale");
        Map<String, Path> charts = Charts.draw(LoadResultsTest.example(), dir, "load-quick-");
        assertThat(charts).containsOnlyKeys("accepts", "latency", "delivered", "memory", "dispatch");
        for (Path png : charts.values()) {
            byte[] head = Files.readAllBytes(png);
            assertThat(head).startsWith(0x89, 'P', 'N', 'G');
        }
        assertThat(dir.resolve("load-quick-old.png")).doesNotExist();
    }
}
