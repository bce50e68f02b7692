package de.amtsbote.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart into PNG files: accepts per second and latencies against the number of
 * clients, heap and RSS over the run, and the dispatch rate against the number of nodes.
 */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final BasicStroke SOLID = new BasicStroke(2f);
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    private Charts() {
    }

    /** Draws every chart there is data for into {@code dir}; returns the files, by name. */
    static Map<String, Path> draw(LoadResults r, Path dir, String prefix) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        // an earlier run's chart that this run has no data for must not stay next to this run's
        try (var old = Files.newDirectoryStream(dir, prefix + "*.png")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        Map<String, Path> files = new LinkedHashMap<>();
        if (!r.steps().isEmpty()) {
            files.put("accepts", save(dir.resolve(prefix + "accepts.png"), byClients(r.steps(),
                    "Durable accepts per second against concurrent clients", "accepts / s", false,
                    List.of(new Metric("", LoadResults.StepResult::acceptsPerSecond, SOLID)))));
            files.put("latency", save(dir.resolve(prefix + "latency.png"), byClients(r.steps(),
                    "Accept latency (submission to 202) against concurrent clients", "ms", true,
                    List.of(new Metric(" p50", s -> s.acceptLatency().p50Ms(), SOLID),
                            new Metric(" p99", s -> s.acceptLatency().p99Ms(), DASHED)))));
            files.put("delivered", save(dir.resolve(prefix + "delivered.png"), byClients(r.steps(),
                    "Submit to DELIVERED against concurrent clients", "ms", true,
                    List.of(new Metric(" p50", s -> s.deliveries().submitToDelivered().p50Ms(), SOLID),
                            new Metric(" p99", s -> s.deliveries().submitToDelivered().p99Ms(), DASHED)))));
        }
        if (!r.memory().isEmpty()) {
            files.put("memory", save(dir.resolve(prefix + "memory.png"), memory(r.memory())));
        }
        if (!r.dispatch().isEmpty()) {
            files.put("dispatch", save(dir.resolve(prefix + "dispatch.png"), dispatch(r.dispatch())));
        }
        return files;
    }

    private record Metric(String suffix, ToDoubleFunction<LoadResults.StepResult> value, BasicStroke stroke) {
    }

    private static JFreeChart byClients(List<LoadResults.StepResult> steps, String title, String yLabel,
                                        boolean logRange, List<Metric> metrics) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<BasicStroke> strokes = new ArrayList<>();
        for (String key : steps.stream().map(s -> s.database() + " " + s.channel()).distinct().toList()) {
            for (Metric m : metrics) {
                XYSeries series = new XYSeries(key + m.suffix());
                steps.stream().filter(s -> key.equals(s.database() + " " + s.channel()))
                        .filter(s -> !logRange || m.value().applyAsDouble(s) > 0) // nothing measured: no point
                        .forEach(s -> series.add(s.clients(), m.value().applyAsDouble(s)));
                data.addSeries(series);
                strokes.add(m.stroke());
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "concurrent clients", yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis clients = new LogAxis("concurrent clients (log scale)");
        clients.setBase(2);
        clients.setTickUnit(new NumberTickUnit(1));
        clients.setNumberFormatOverride(new DecimalFormat("0"));
        clients.setSmallestValue(0.5);
        plot.setDomainAxis(clients);
        double low = Double.MAX_VALUE;
        double high = 0;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            for (int j = 0; j < data.getItemCount(i); j++) {
                double y = data.getYValue(i, j);
                if (y > 0) {
                    low = Math.min(low, y);
                    high = Math.max(high, y);
                }
            }
        }
        if (logRange && high / low > 30) {
            // latencies of the loopback channel and of S/MIME can differ by orders of magnitude
            LogarithmicAxis ms = new LogarithmicAxis(yLabel + " (log scale)");
            ms.setStrictValuesFlag(false);
            ms.setExpTickLabelsFlag(false);
            ms.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
            plot.setRangeAxis(ms);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < strokes.size(); i++) {
            renderer.setSeriesStroke(i, strokes.get(i));
            // a metric's series of one key share the key's colour
            renderer.setSeriesPaint(i, palette(i / metrics.size()));
        }
        plot.setRenderer(renderer);
        style(chart);
        return chart;
    }

    private static JFreeChart memory(List<MemorySampler.Sample> samples) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> nodes = samples.stream().map(MemorySampler.Sample::node).distinct().toList();
        List<BasicStroke> strokes = new ArrayList<>();
        for (String node : nodes) {
            XYSeries heap = new XYSeries(node + " heap used");
            XYSeries rss = new XYSeries(node + " RSS");
            for (MemorySampler.Sample s : samples) {
                if (s.node().equals(node)) {
                    if (s.heapMiB() >= 0) {
                        heap.add(s.seconds(), s.heapMiB());
                    }
                    if (s.rssMiB() >= 0) {
                        rss.add(s.seconds(), s.rssMiB());
                    }
                }
            }
            data.addSeries(heap);
            strokes.add(new BasicStroke(1.5f));
            data.addSeries(rss);
            strokes.add(DASHED);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Gateway heap and resident memory over the run",
                "seconds since the run started", "MiB", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true); // dashes across many short segments stay dashes
        for (int i = 0; i < strokes.size(); i++) {
            renderer.setSeriesStroke(i, strokes.get(i));
            renderer.setSeriesPaint(i, palette(i / 2));
        }
        plot.setRenderer(renderer);
        String last = null;
        for (MemorySampler.Sample s : samples) {
            // one marker per part of the run: the start of each database's gateways, its load steps, the dispatch rounds
            String phase = s.phase().replaceAll("/.*", "").replaceAll("^dispatch.*", "dispatch");
            if (!phase.equals(last) && !phase.endsWith("-stop")) {
                ValueMarker marker = new ValueMarker(s.seconds(), Color.GRAY, new BasicStroke(1f));
                marker.setLabel(phase);
                marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                plot.addDomainMarker(marker);
                last = phase;
            }
        }
        style(chart);
        return chart;
    }

    private static JFreeChart dispatch(List<LoadResults.DispatchRound> rounds) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (LoadResults.DispatchRound r : rounds) {
            String nodes = r.nodes() + (r.nodes() == 1 ? " node" : " nodes");
            data.addValue(r.deliveriesPerSecond(), "deliveries / s (whole backlog)", nodes);
            data.addValue(r.steadyPerSecond(), "deliveries / s (10 % to 90 %)", nodes);
        }
        JFreeChart chart = ChartFactory.createBarChart("Dispatch rate against gateway nodes on one PostgreSQL",
                "gateway nodes", "deliveries / s", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRenderer().setSeriesPaint(0, palette(0));
        plot.getRenderer().setSeriesPaint(1, palette(1));
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (chart.getPlot() instanceof CategoryPlot c) {
            c.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private static Color palette(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private static Path save(Path file, JFreeChart chart) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
