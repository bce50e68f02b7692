package de.amtsbote.gateway.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes orphans: content files without a row in {@code content}, left by a submission that a crash interrupted
 * between writing its files and committing. A file is only an orphan once it is older than any submission can
 * take ({@value #GRACE_HOURS} hours), so content of a submission still in progress is never touched.
 */
@Component
class ContentSweeper {

    private static final Logger log = LoggerFactory.getLogger(ContentSweeper.class);
    private static final int GRACE_HOURS = 6;
    private static final int BATCH = 500;

    private final ContentStore store;
    private final JdbcClient jdbc;
    private final Clock clock;

    ContentSweeper(ContentStore store, JdbcClient jdbc, Clock clock) {
        this.store = store;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT6H")
    void sweep() {
        try {
            int removed = sweepOlderThan(clock.instant().minus(Duration.ofHours(GRACE_HOURS)));
            if (removed > 0) {
                log.info("removed {} orphaned content files from {}", removed, store.root());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("sweeping the content store for orphans failed, will try again: {}", e.toString());
        }
    }

    /** Removes files older than {@code cutoff} that no content row refers to; returns how many. */
    int sweepOlderThan(Instant cutoff) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.walk(store.root(), 2)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (Files.getLastModifiedTime(file).compareTo(FileTime.from(cutoff)) < 0) {
                    candidates.add(file);
                }
            }
        }
        int removed = 0;
        for (int i = 0; i < candidates.size(); i += BATCH) {
            List<Path> batch = candidates.subList(i, Math.min(candidates.size(), i + BATCH));
            List<String> ids = batch.stream().map(p -> p.getFileName().toString()).toList();
            Set<String> known = new HashSet<>(jdbc.sql("select id from content where id in (:ids)")
                    .param("ids", ids).query(String.class).list());
            for (Path file : batch) {
                if (!known.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        }
        return removed;
    }
}
