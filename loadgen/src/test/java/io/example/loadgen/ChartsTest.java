package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * bench/Charts.java as bench/run.sh runs it (the JDK's single-file launcher), on bench/run.sh's results and on the
 * file loadgen's {@code --per-second} writes: valid SVG with what was measured in it.
 */
class ChartsTest {
    private static final String RESULTS_HEADER =
            "scenario\tround\trps\tp50_ms\tp99_ms\trequests\tnon2xx\tkb_per_request\tcpu_us\tproduct_cpu_us\n";

    @TempDir
    Path dir;

    private record Run(int exitCode, String err) {
    }

    private Run charts(Path input, String... options) throws IOException, InterruptedException {
        Path program = Path.of("..", "bench", "Charts.java").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                program.toString(), input.toString(), dir.resolve("charts").toString()));
        command.addAll(List.of(options));
        Path err = dir.resolve("charts.err");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("Charts.java ended").isTrue();
        return new Run(process.exitValue(), Files.readString(err));
    }

    private Document svg(String name) throws Exception {
        Document svg = DocumentBuilderFactory.newNSInstance().newDocumentBuilder()
                .parse(dir.resolve("charts").resolve(name).toFile());
        assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        return svg;
    }

    private static List<Element> elements(Document svg, String tag, String classPrefix) {
        NodeList nodes = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            if (element.getAttribute("class").startsWith(classPrefix)) {
                found.add(element);
            }
        }
        return found;
    }

    private static List<String> texts(Document svg) {
        return elements(svg, "text", "").stream().map(Element::getTextContent).toList();
    }

    @Test
    void drawsOneBarPerScenarioAtTheMedianOfItsRounds() throws Exception {
        Path results = dir.resolve("results.tsv");
        Files.writeString(results, RESULTS_HEADER
                + "nginx-proxy\t1\t30000\t0.80\t3.00\t1\t0\t-\t-\t-\n"
                + "gateway <passthrough> & \"co\"\t1\t9000\t3.10\t9.30\t1\t0\t-\t-\t-\n"
                + "nginx-proxy\t2\t34000\t0.90\t3.20\t1\t0\t-\t-\t-\n"
                + "gateway <passthrough> & \"co\"\t2\t9500\t3.20\t9.80\t1\t0\t-\t-\t-\n"
                + "nginx-proxy\t3\t31000\t0.85\t3.10\t1\t0\t-\t-\t-\n"
                + "gateway <passthrough> & \"co\"\t3\t20000\t2.90\t9.50\t1\t0\t-\t-\t-\n");

        Run run = charts(results, "--reference", "nginx-proxy", "--caption", "median of 3 rounds");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Document throughput = svg("throughput.svg");
        List<Element> bars = elements(throughput, "rect", "bar");
        assertThat(bars).hasSize(2);
        assertThat(bars.get(0).getAttribute("class")).isEqualTo("bar reference");
        assertThat(bars.get(1).getAttribute("class")).isEqualTo("bar");
        assertThat(bars.get(1).getTextContent()).isEqualTo("gateway <passthrough> & \"co\": 9500 requests/s");
        assertThat(texts(throughput)).contains("nginx-proxy", "31000", "gateway <passthrough> & \"co\"", "9500",
                "median of 3 rounds");
        // the longest bar is the largest median
        assertThat(Double.parseDouble(bars.get(0).getAttribute("width")))
                .isGreaterThan(3 * Double.parseDouble(bars.get(1).getAttribute("width")));

        Document latency = svg("latency.svg");
        assertThat(elements(latency, "rect", "bar p50")).hasSize(2);
        assertThat(elements(latency, "rect", "bar p99")).hasSize(2);
        assertThat(texts(latency)).contains("0.85 ms", "3.1 ms", "3.1 ms", "9.5 ms");
    }

    @Test
    void drawsLoadgensSecondsAsLinesOverTheRun() throws Exception {
        Path seconds = dir.resolve("seconds.csv");
        TrafficStats stats = new TrafficStats();
        try (SecondsFile file = SecondsFile.create(seconds)) {
            for (int second = 1; second <= 5; second++) {
                for (int call = 0; call < 10 * second; call++) {
                    stats.answered(Route.BROWSE, 200, second * 1_000_000L);
                }
                file.append(Duration.ofSeconds(second), Duration.ofSeconds(1), stats.takeInterval());
            }
            file.append(Duration.ofSeconds(6), Duration.ofSeconds(1), stats.takeInterval());
        }

        Run run = charts(seconds);

        assertThat(run.exitCode()).as(run.err()).isZero();
        Element calls = elements(svg("loadgen-throughput.svg"), "polyline", "series calls/s").getFirst();
        assertThat(calls.getAttribute("points").split(" ")).hasSize(6);
        Element p99 = elements(svg("loadgen-latency.svg"), "polyline", "series p99").getFirst();
        // the quiet sixth second has no latency to draw
        assertThat(p99.getAttribute("points").split(" ")).hasSize(5);
    }

    @Test
    void refusesAFileItDoesNotKnow() throws Exception {
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "a,b\n1,2\n");

        Run run = charts(other);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("neither");
    }
}
