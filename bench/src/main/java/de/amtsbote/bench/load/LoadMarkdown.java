package de.amtsbote.bench.load;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The Markdown summary of a load run ({@code bench/results/load-<mode>.md}), tables in the report's form. */
final class LoadMarkdown {

    private LoadMarkdown() {
    }

    static String render(LoadResults r, Map<String, Path> charts, Path mdFile) {
        StringBuilder s = new StringBuilder();
        s.append("# Load run (").append(r.mode()).append(")\n\n");
        s.append(f("Started %s, took %.0f s. Machine: %s, %s cores, %s, %s. Database: %s.%n%n", r.started(),
                r.seconds(), r.machine().get("cpu"), r.machine().get("cores"), r.machine().get("java"),
                r.machine().get("os"), r.postgres()));
        s.append("Command: `").append(r.command()).append("`\n\n");

        s.append("## Headline\n\n");
        s.append("| database | channel | accepts/s (at clients) | accept p50 / p99 ms | end-to-end delivered/s (at clients)"
                + " | of raw crypto ceiling: 1 thread / all cores |\n|---|---|---|---|---|---|\n");
        for (LoadResults.Headline h : r.headline()) {
            s.append(f("| %s | %s | %.1f (%d) | %.1f / %.1f | %.1f (%d) | %s |%n", h.database(), h.channel(),
                    h.acceptsPerSecond(), h.atClients(), h.acceptP50Ms(), h.acceptP99Ms(), h.deliveredPerSecond(),
                    h.deliveredAtClients(), h.channel().equals(Channel.SMIME.id())
                            ? f("%.3f / %.3f", h.ofCeilingOneThread(), h.ofCeilingAllCores()) : "—"));
        }
        if (r.ceiling() != null) {
            s.append(f("%nRaw crypto ceiling (Bouncy Castle sign + encrypt of the same %d-byte S/MIME entity, in process):"
                            + " %.1f/s on one thread, %.1f/s on %d threads.%n", r.ceiling().messageBytes(),
                    r.ceiling().singleThread(), r.ceiling().allThreads(), r.ceiling().threads()));
        }

        s.append("\n## Load steps\n\n");
        s.append("| database | channel | clients | accepted | accepts/s | accept p50 / p90 / p99 / max ms | submit→SENT p50 / p99 ms"
                + " | submit→DELIVERED p50 / p99 ms | delivered/s | drain s | refused / failed | evidence sample |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LoadResults.StepResult st : r.steps()) {
            DeliveryTimes.Outcome d = st.deliveries();
            s.append(f("| %s | %s | %d | %d | %.1f | %.1f / %.1f / %.1f / %.1f | %s | %.0f / %.0f | %.1f | %.1f | %d / %d | %d of %d%s |%n",
                    st.database(), st.channel(), st.clients(), st.accepted(), st.acceptsPerSecond(),
                    st.acceptLatency().p50Ms(), st.acceptLatency().p90Ms(), st.acceptLatency().p99Ms(),
                    st.acceptLatency().maxMs(),
                    d.submitToSent().count() == 0 ? "—" : f("%.0f / %.0f", d.submitToSent().p50Ms(), d.submitToSent().p99Ms()),
                    d.submitToDelivered().p50Ms(), d.submitToDelivered().p99Ms(), d.deliveriesPerSecond(),
                    d.drainSeconds(), st.refused(), st.failed(), d.delivered(), d.sampled(),
                    d.failed() + d.unfinished() > 0 ? f(" (%d failed, %d unfinished)", d.failed(), d.unfinished()) : ""));
        }

        if (!r.dispatch().isEmpty()) {
            s.append("\n## Dispatch rate against nodes (one PostgreSQL)\n\n");
            s.append("| nodes | backlog | drained in s | deliveries/s | 10 %–90 % deliveries/s | by node | delivered while preloading |\n"
                    + "|---|---|---|---|---|---|---|\n");
            for (LoadResults.DispatchRound d : r.dispatch()) {
                s.append(f("| %d | %d | %.2f | %.1f | %.1f | %s | %d%s |%n", d.nodes(), d.messages(), d.seconds(),
                        d.deliveriesPerSecond(), d.steadyPerSecond(), d.byNode().entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                        d.deliveredDuringPreload(), d.complete() ? "" : " (INCOMPLETE)"));
            }
        }

        s.append("\n## Memory (peak over the run)\n\n| node | peak heap used MiB | peak RSS MiB | started in s |\n|---|---|---|---|\n");
        for (LoadResults.NodeStart n : r.starts()) {
            List<MemorySampler.Sample> of = r.memory().stream().filter(m -> m.node().equals(n.node())).toList();
            s.append(f("| %s | %.0f | %.0f | %.1f |%n", n.node(),
                    of.stream().mapToDouble(MemorySampler.Sample::heapMiB).max().orElse(0),
                    of.stream().mapToDouble(MemorySampler.Sample::rssMiB).max().orElse(0), n.seconds()));
        }

        if (!r.profiles().isEmpty()) {
            s.append("\n## Hot methods (JFR execution samples)\n");
            r.profiles().forEach((phase, hot) -> {
                s.append(f("%n**%s** (%s, %d samples)%n%n| self %% | method | | own code on stack %% | method |%n|---|---|---|---|---|%n",
                        phase, hot.file(), hot.samples()));
                for (int i = 0; i < Math.max(hot.self().size(), hot.ownTotal().size()); i++) {
                    JfrProfile.Hot a = i < hot.self().size() ? hot.self().get(i) : null;
                    JfrProfile.Hot b = i < hot.ownTotal().size() ? hot.ownTotal().get(i) : null;
                    s.append(f("| %s | %s | | %s | %s |%n", a == null ? "" : f("%.1f", a.percent()),
                            a == null ? "" : "`" + a.method() + "`", b == null ? "" : f("%.1f", b.percent()),
                            b == null ? "" : "`" + b.method() + "`"));
                }
            });
        }

        if (!charts.isEmpty()) {
            s.append("\n## Charts\n\n");
            Path base = mdFile.toAbsolutePath().getParent();
            charts.forEach((name, file) -> s.append("![").append(name).append("](")
                    .append(base.relativize(file.toAbsolutePath()).toString().replace('\\', '/')).append(")\n"));
        }
        if (!r.notes().isEmpty()) {
            s.append("\n## Notes\n\n");
            r.notes().forEach(n -> s.append("* ").append(n).append('\n'));
        }
        return s.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
