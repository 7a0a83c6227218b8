package io.example.commons.testing;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A service's {@code /metrics} (Prometheus text format) as a test reads it: samples by name and labels.
 */
public final class ScrapedMetrics {
    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private ScrapedMetrics(List<Sample> samples) {
        this.samples = samples;
    }

    /**
     * @param service the service to scrape
     * @return its metrics now
     */
    public static ScrapedMetrics of(TestHttp service) {
        HttpResponse<String> response = service.send(service.request("/metrics").header("Accept", "text/plain"));
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    /**
     * @param text Prometheus text format
     * @return its samples
     */
    public static ScrapedMetrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line.strip()));
            }
        }
        return new ScrapedMetrics(samples);
    }

    /**
     * @param name   sample name, e.g. {@code http_server_requests_seconds_count}
     * @param labels label names and values in pairs; a sample matches when it has all of them
     * @return the sum of the matching samples' values, 0 when none matches
     */
    public double value(String name, String... labels) {
        return samples.stream()
                .filter(sample -> sample.name().equals(name) && hasAll(sample.labels(), labels))
                .mapToDouble(Sample::value)
                .sum();
    }

    /**
     * @param name   sample name
     * @param labels label names and values in pairs
     * @return whether a sample of that name has these labels
     */
    public boolean has(String name, String... labels) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name) && hasAll(sample.labels(), labels));
    }

    /**
     * @return every sample name with the label names its samples carry
     */
    public Map<String, Set<String>> labelNamesBySample() {
        Map<String, Set<String>> names = new TreeMap<>();
        samples.forEach(sample -> names.computeIfAbsent(sample.name(), n -> new TreeSet<>())
                .addAll(sample.labels().keySet()));
        return names;
    }

    private static boolean hasAll(Map<String, String> actual, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(actual.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }

    // name{label="value",...} value [timestamp]; values escape \\, \" and \n
    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new TreeMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = i + 1;
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] fields = line.substring(rest).strip().split("\\s+");
        return new Sample(name, labels, Double.parseDouble(fields[0].replace("Inf", "Infinity")));
    }
}
