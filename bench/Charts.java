// Draws benchmark results as SVG charts, with nothing but the JDK (run as a single-file program):
//
//   java bench/Charts.java RESULTS OUT_DIR [--caption TEXT] [--reference NAME,NAME...]
//
// RESULTS is either bench/run.sh's rounds (tab-separated: scenario, round, rps, p50_ms, p99_ms, ...), drawn as
// OUT_DIR/throughput.svg (median req/s per scenario, one bar each) and OUT_DIR/latency.svg (median p50 and p99 per
// scenario, on a log scale), or loadgen's per-second file (--per-second: elapsed_s, calls_per_s, p50_ms, p99_ms, ...),
// drawn as OUT_DIR/loadgen-throughput.svg and OUT_DIR/loadgen-latency.svg over the run's time. --reference names the
// scenarios that are not the project (nginx, the bare proxy, ...): drawn grey. Columns are found by their header.

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

public class Charts {
    static final String PROJECT = "#2b6cb0";
    static final String REFERENCE = "#a0aec0";
    static final String P50 = "#2b6cb0";
    static final String P90 = "#38a169";
    static final String P99 = "#c05621";

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length % 2 != 0) {
            System.err.println("usage: java bench/Charts.java RESULTS OUT_DIR [--caption TEXT] [--reference NAME,NAME...]");
            System.exit(2);
        }
        Path input = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String caption = "";
        Set<String> references = Set.of();
        for (int i = 2; i < args.length; i += 2) {
            switch (args[i]) {
                case "--caption" -> caption = args[i + 1];
                case "--reference" -> references = Set.of(args[i + 1].split(","));
                default -> fail("unknown option " + args[i]);
            }
        }
        Table table = Table.read(input);
        Files.createDirectories(out);
        if (table.has("scenario") && table.has("rps")) {
            List<Scenario> scenarios = Scenario.mediansOf(table, references);
            write(out.resolve("throughput.svg"), BarChart.throughput(scenarios, caption));
            write(out.resolve("latency.svg"), BarChart.latency(scenarios, caption));
        } else if (table.has("elapsed_s") && table.has("calls_per_s")) {
            write(out.resolve("loadgen-throughput.svg"), LineChart.of("loadgen: calls per second", caption, table,
                    new Series("calls/s", "calls_per_s", PROJECT)));
            write(out.resolve("loadgen-latency.svg"), LineChart.of("loadgen: latency per second (ms)", caption, table,
                    new Series("p50", "p50_ms", P50), new Series("p90", "p90_ms", P90), new Series("p99", "p99_ms", P99)));
        } else {
            fail(input + " is neither bench/run.sh's results (scenario, rps, ...) nor loadgen's per-second file"
                    + " (elapsed_s, calls_per_s, ...)");
        }
    }

    static void write(Path file, String svg) throws IOException {
        Files.writeString(file, svg);
        System.err.println("wrote " + file);
    }

    static void fail(String message) {
        System.err.println("Charts: " + message);
        System.exit(1);
    }

    /** A tab- or comma-separated file with a header line. */
    record Table(List<String> header, List<String[]> rows) {
        static Table read(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                fail(file + " is empty");
            }
            String separator = lines.getFirst().contains("\t") ? "\t" : ",";
            List<String[]> rows = lines.stream().skip(1).map(l -> l.split(separator, -1)).toList();
            return new Table(Arrays.asList(lines.getFirst().split(separator, -1)), rows);
        }

        boolean has(String column) {
            return header.contains(column);
        }

        String text(String[] row, String column) {
            return row[header.indexOf(column)];
        }

        boolean present(String[] row, String column) {
            return !text(row, column).isEmpty();
        }

        double number(String[] row, String column) {
            String value = text(row, column);
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                fail("'" + value + "' in column " + column + " is not a number");
                return 0;
            }
        }
    }

    /** One scenario's medians over its rounds. */
    record Scenario(String name, boolean reference, double rps, double p50, double p99) {
        static List<Scenario> mediansOf(Table table, Set<String> references) {
            Map<String, List<String[]>> rounds = new LinkedHashMap<>();
            table.rows().forEach(row -> rounds.computeIfAbsent(table.text(row, "scenario"), s -> new ArrayList<>()).add(row));
            List<Scenario> scenarios = new ArrayList<>();
            rounds.forEach((name, rows) -> scenarios.add(new Scenario(name, references.contains(name),
                    median(rows, table, "rps"), median(rows, table, "p50_ms"), median(rows, table, "p99_ms"))));
            return scenarios;
        }

        // as bench/run.sh takes it: the middle round, or the mean of the middle two
        static double median(List<String[]> rows, Table table, String column) {
            double[] values = rows.stream().mapToDouble(row -> table.number(row, column)).sorted().toArray();
            int n = values.length;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }
    }

    /** Horizontal bars, one row per scenario: names on the left, each bar's value at its end. */
    static final class BarChart {
        static final int WIDTH = 900;
        static final int LABELS = 210;
        static final int PLOT = 560;
        static final int TOP = 70;

        static String throughput(List<Scenario> scenarios, String caption) {
            Axis axis = Axis.upTo(scenarios.stream().mapToDouble(Scenario::rps).max().orElse(1));
            double max = axis.end();
            int row = 24;
            Svg svg = new Svg(WIDTH, TOP + row * scenarios.size() + 40, "Throughput per scenario (requests/s)", caption);
            legend(svg, new String[] {"the project", PROJECT}, new String[] {"reference", REFERENCE});
            for (int tick = 0; tick <= axis.ticks(); tick++) {
                gridLine(svg, LABELS + PLOT * tick / (double) axis.ticks(), TOP, row * scenarios.size(), number(tick * axis.step()));
            }
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                double y = TOP + i * row;
                label(svg, s, y + row / 2.0);
                double width = PLOT * s.rps() / max;
                String value = number(s.rps());
                svg.bar(LABELS, y + 4, width, row - 8, s.reference() ? REFERENCE : PROJECT,
                        s.reference() ? "bar reference" : "bar", s.name() + ": " + value + " requests/s");
                svg.text(LABELS + width + 5, y + row / 2.0 + 4, value, "value");
            }
            return svg.end();
        }

        static String latency(List<Scenario> scenarios, String caption) {
            double low = Math.pow(10, Math.floor(Math.log10(scenarios.stream().mapToDouble(Scenario::p50).filter(v -> v > 0)
                    .min().orElse(1))));
            double high = Math.pow(10, Math.ceil(Math.log10(scenarios.stream().mapToDouble(Scenario::p99).max().orElse(1))));
            if (high <= low) {
                high = low * 10;
            }
            int row = 34;
            Svg svg = new Svg(WIDTH, TOP + row * scenarios.size() + 40, "Latency per scenario: p50 and p99 (ms, log scale)",
                    caption);
            legend(svg, new String[] {"p50", P50}, new String[] {"p99", P99});
            double decades = Math.log10(high / low);
            for (double tick = low; tick <= high * 1.0001; tick *= 10) {
                gridLine(svg, LABELS + PLOT * Math.log10(tick / low) / decades, TOP, row * scenarios.size(), number(tick));
            }
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                double y = TOP + i * row;
                label(svg, s, y + row / 2.0);
                double[] values = {s.p50(), s.p99()};
                String[] names = {"p50", "p99"};
                String[] colours = {P50, P99};
                for (int k = 0; k < 2; k++) {
                    double width = PLOT * Math.log10(Math.max(values[k], low) / low) / decades;
                    double top = y + 3 + k * (row - 6) / 2.0;
                    String value = number(values[k]) + " ms";
                    svg.bar(LABELS, top, Math.max(width, 1), (row - 6) / 2.0 - 1, colours[k], "bar " + names[k],
                            s.name() + " " + names[k] + ": " + value);
                    svg.text(LABELS + width + 5, top + (row - 6) / 4.0 + 3, value, "value");
                }
            }
            return svg.end();
        }

        static void label(Svg svg, Scenario s, double middle) {
            svg.text(LABELS - 8, middle + 4, s.name(), s.reference() ? "name reference" : "name");
        }

        static void gridLine(Svg svg, double x, double top, double height, String value) {
            svg.line(x, top, x, top + height, "grid");
            svg.text(x, top + height + 16, value, "tick");
        }

        static void legend(Svg svg, String[]... entries) {
            double x = LABELS;
            for (String[] entry : entries) {
                x = svg.key(x, entry[0], entry[1]);
            }
        }
    }

    /** One column of loadgen's file drawn over time. */
    record Series(String name, String column, String colour) {
    }

    /** Lines over the run's seconds: a point per row of loadgen's per-second file. */
    static final class LineChart {
        static final int WIDTH = 900;
        static final int HEIGHT = 380;
        static final int LEFT = 70;
        static final int TOP = 70;
        static final int PLOT_WIDTH = 780;
        static final int PLOT_HEIGHT = 250;

        static String of(String title, String caption, Table table, Series... series) {
            double lastSecond = Math.max(1, table.rows().stream().mapToDouble(r -> table.number(r, "elapsed_s")).max().orElse(1));
            Axis axis = Axis.upTo(Arrays.stream(series).flatMapToDouble(s -> table.rows().stream()
                    .filter(r -> table.present(r, s.column())).mapToDouble(r -> table.number(r, s.column()))).max().orElse(1));
            double max = axis.end();
            Svg svg = new Svg(WIDTH, HEIGHT, title, caption);
            double x = LEFT;
            for (Series s : series) {
                x = svg.key(x, s.name(), s.colour());
            }
            for (int tick = 0; tick <= axis.ticks(); tick++) {
                double y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * tick / (double) axis.ticks();
                svg.line(LEFT, y, LEFT + PLOT_WIDTH, y, "grid");
                svg.text(LEFT - 6, y + 4, number(tick * axis.step()), "tick axis-y");
            }
            double step = Axis.upTo(lastSecond).step();
            for (double second = 0; second <= lastSecond + 1e-9; second += step) {
                double px = LEFT + PLOT_WIDTH * second / lastSecond;
                svg.line(px, TOP, px, TOP + PLOT_HEIGHT, "grid");
                svg.text(px, TOP + PLOT_HEIGHT + 16, number(second) + " s", "tick");
            }
            for (Series s : series) {
                StringBuilder points = new StringBuilder();
                // a second without calls has no latency: its cells are empty, and the line passes over it
                for (String[] row : table.rows().stream().filter(r -> table.present(r, s.column())).toList()) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ",
                            LEFT + PLOT_WIDTH * table.number(row, "elapsed_s") / lastSecond,
                            TOP + PLOT_HEIGHT - PLOT_HEIGHT * table.number(row, s.column()) / max));
                }
                svg.polyline(points.toString().trim(), s.colour(), "series " + s.name());
            }
            return svg.end();
        }
    }

    /** A linear axis from 0: ticks every {@code step} (1, 2, 2.5 or 5 times a power of ten), up to {@code end}. */
    record Axis(double step, double end) {
        /** At most six ticks, the last at or just above {@code max}. */
        static Axis upTo(double max) {
            double rough = Math.max(max, 1e-9) / 5;
            double power = Math.pow(10, Math.floor(Math.log10(rough)));
            double step = 10 * power;
            for (double multiple : new double[] {1, 2, 2.5, 5}) {
                if (multiple * power >= rough) {
                    step = multiple * power;
                    break;
                }
            }
            return new Axis(step, step * Math.max(1, Math.ceil(max / step - 1e-9)));
        }

        int ticks() {
            return (int) Math.round(end / step);
        }
    }

    /** Whole numbers from 100 on, three significant digits below (0.052, 3.1, 12.5). */
    static String number(double value) {
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** The SVG text, element by element; every name and value is escaped. */
    static final class Svg {
        private final StringBuilder svg = new StringBuilder();

        Svg(int width, int height, String title, String caption) {
            svg.append(String.format(Locale.ROOT, """
                    <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">
                    <style>
                      .title { font-size: 16px; font-weight: bold; }
                      .caption, .tick, text.reference { fill: #4a5568; }
                      .name { text-anchor: end; }
                      .name.reference { font-style: italic; }
                      .tick { text-anchor: middle; font-size: 11px; }
                      .axis-y { text-anchor: end; }
                      .grid { stroke: #e2e8f0; }
                    </style>
                    <rect width="100%%" height="100%%" fill="white"/>
                    """, width, height, width, height));
            text(10, 22, title, "title");
            text(10, 40, caption, "caption");
        }

        void text(double x, double y, String text, String cssClass) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\">%s</text>%n", x, y, cssClass, escape(text)));
        }

        void bar(double x, double y, double width, double height, String fill, String cssClass, String tooltip) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" class=\"%s\">"
                    + "<title>%s</title></rect>%n", x, y, width, height, fill, cssClass, escape(tooltip)));
        }

        /** One entry of the legend above the plot, at {@code x}; returns where the next one goes. */
        double key(double x, String name, String colour) {
            bar(x, 48, 12, 12, colour, "key", name);
            text(x + 17, 58, name, "key");
            return x + 30 + 8 * name.length();
        }

        void line(double x1, double y1, double x2, double y2, String cssClass) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>%n",
                    x1, y1, x2, y2, cssClass));
        }

        void polyline(String points, String stroke, String cssClass) {
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" class=\"%s\"/>%n",
                    points, stroke, escape(cssClass)));
        }

        String end() {
            return svg.append("</svg>\n").toString();
        }

        static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                    .replace("'", "&apos;");
        }
    }
}
