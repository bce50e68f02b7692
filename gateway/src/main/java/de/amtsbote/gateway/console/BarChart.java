package de.amtsbote.gateway.console;

import java.util.List;
import java.util.Objects;

/**
 * A bar chart drawn by the server as SVG (no script, so it shows with the strict content security policy and in
 * screenshots), with the same figures as a table for screen readers and for anyone who wants the numbers. Bars may
 * be stacked from segments, each with a CSS class ({@code ok}, {@code warn}, {@code bad}, {@code neutral}) and a legend
 * label; colour is never the only carrier of meaning, the table and the legend name every series.
 *
 * @param caption what the chart shows, also the SVG's accessible name
 * @param series  the legend: label and CSS class of each segment position
 * @param bars    the bars, left to right
 */
public record BarChart(String caption, List<Series> series, List<Bar> bars) {

    public static final int WIDTH = 720;
    public static final int HEIGHT = 220;
    private static final int PLOT_TOP = 10;
    private static final int PLOT_BOTTOM = 180;
    private static final int PLOT_LEFT = 48;

    public BarChart {
        Objects.requireNonNull(caption, "caption");
        series = List.copyOf(series);
        bars = List.copyOf(bars);
        for (Bar b : bars) {
            if (b.values().size() != series.size()) {
                throw new IllegalArgumentException("bar " + b.label() + " has " + b.values().size() + " values for "
                        + series.size() + " series");
            }
        }
    }

    public record Series(String label, String cssClass) {
    }

    public record Bar(String label, List<Long> values) {
        public Bar {
            values = List.copyOf(values);
        }

        public long total() {
            return values.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One drawn rectangle. */
    public record Rect(double x, double y, double width, double height, String cssClass, String title) {
    }

    /** One axis label. */
    public record Label(double x, double y, String text) {
    }

    public long max() {
        return Math.max(1, bars.stream().mapToLong(Bar::total).max().orElse(1));
    }

    /** The rectangles of every non-empty segment, bottom segment first. */
    public List<Rect> rects() {
        double slot = slot();
        double scale = (PLOT_BOTTOM - PLOT_TOP) / (double) max();
        java.util.ArrayList<Rect> out = new java.util.ArrayList<>();
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double x = PLOT_LEFT + i * slot + slot * 0.15;
            double bottom = PLOT_BOTTOM;
            for (int s = 0; s < series.size(); s++) {
                long v = bar.values().get(s);
                if (v <= 0) {
                    continue;
                }
                double h = v * scale;
                bottom -= h;
                out.add(new Rect(round(x), round(bottom), round(slot * 0.7), round(h), series.get(s).cssClass(),
                        bar.label() + ": " + series.get(s).label() + " " + v));
            }
        }
        return out;
    }

    /** Labels under the bars; with many bars only every n-th, so they do not overlap. */
    public List<Label> xLabels() {
        double slot = slot();
        int step = Math.max(1, (int) Math.ceil(bars.size() / 12.0));
        java.util.ArrayList<Label> out = new java.util.ArrayList<>();
        for (int i = 0; i < bars.size(); i += step) {
            out.add(new Label(round(PLOT_LEFT + i * slot + slot / 2), PLOT_BOTTOM + 18, bars.get(i).label()));
        }
        return out;
    }

    /** Zero and the maximum on the vertical axis. */
    public List<Label> yLabels() {
        return List.of(new Label(PLOT_LEFT - 6, PLOT_BOTTOM, "0"), new Label(PLOT_LEFT - 6, PLOT_TOP + 10,
                Long.toString(max())));
    }

    public int plotLeft() {
        return PLOT_LEFT;
    }

    public int plotBottom() {
        return PLOT_BOTTOM;
    }

    public int plotRight() {
        return WIDTH - 8;
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    private double slot() {
        return (WIDTH - 8 - PLOT_LEFT) / (double) Math.max(1, bars.size());
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
