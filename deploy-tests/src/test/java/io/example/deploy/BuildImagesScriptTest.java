package io.example.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/build-images.sh builds each image from the Dockerfile's right stage and loads them into kind or
 * minikube, run with stub {@code docker}, {@code kind} and {@code minikube} commands on PATH that only record
 * how they were called; and the Dockerfile's canary stages bake in settings product-service reads.
 */
class BuildImagesScriptTest {
    /** The canary analysis' gates (docs/canary.md): what the bad release must clearly fail. */
    private static final int GATE_SUCCESS_PERCENT = 99;
    private static final Duration GATE_P99 = Duration.ofMillis(500);

    @TempDir
    Path stubs;

    @Test
    void loadsTheImagesIntoMinikube() throws Exception {
        Result result = run("", "--minikube", "shop");

        assertThat(result.exit()).isZero();
        assertThat(result.calls()).contains("minikube image load ms-gateway:1.0.0 --profile shop",
                                            "minikube image load ms-order-service:1.0.0 --profile shop",
                                            "minikube image load ms-loadgen:1.0.0 --profile shop")
                .filteredOn(c -> c.startsWith("minikube")).hasSameSizeAs(MeshChecks.builtImages());
    }

    @Test
    void loadsTheImagesIntoKind() throws Exception {
        Result result = run("", "--kind");

        assertThat(result.exit()).isZero();
        assertThat(result.calls()).contains("kind load docker-image ms-auth-service:1.0.0 --name kind",
                                            "kind load docker-image ms-loadgen:1.0.0 --name kind")
                .filteredOn(c -> c.startsWith("kind")).hasSameSizeAs(MeshChecks.builtImages());
    }

    @Test
    void buildsEveryImageItListsFromItsModule() throws Exception {
        Result result = run();

        assertThat(result.exit()).isZero();
        assertThat(result.calls()).filteredOn(c -> c.startsWith("docker build"))
                .extracting(c -> c.replaceFirst("^docker build --build-arg SERVICE=(\\S+) --target image -t ms-\\1:1\\.0\\.0 \\.$", "ms-$1"))
                .containsExactlyInAnyOrderElementsOf(MeshChecks.builtImages());
    }

    @Test
    void anUnknownOptionFailsBeforeBuilding() throws Exception {
        Result result = run("", "--k3d");

        assertThat(result.exit()).isNotZero();
        assertThat(result.calls()).noneMatch(c -> c.startsWith("docker build"));
    }

    @ParameterizedTest
    @CsvSource({"v2, 2.0.0", "v2-bad, 2.0.0-bad"})
    void aVariantIsProductServicesStageOfThatNameWithItsOwnTag(String variant, String tag) throws Exception {
        Result result = run(Map.of("VARIANT", variant), "", "--kind", "shop");

        assertThat(result.exit()).isZero();
        assertThat(result.calls()).containsExactly(
                "docker build --build-arg SERVICE=product-service --target product-service-" + variant
                        + " -t ms-product-service:" + tag + " .",
                "kind load docker-image ms-product-service:" + tag + " --name shop");
    }

    @Test
    void aVariantOfAnotherServiceOrAnUnknownVariantFailsBeforeBuilding() throws Exception {
        Result otherService = run(Map.of("VARIANT", "v2", "SERVICES", "gateway"));
        Result unknown = run(Map.of("VARIANT", "v3"));
        Result unknownService = run(Map.of("SERVICES", "gateway product"));

        for (Result result : List.of(otherService, unknown, unknownService)) {
            assertThat(result.exit()).isNotZero();
            assertThat(result.calls()).isEmpty();
        }
    }

    @Test
    void theDefaultStageIsThePlainImage() throws IOException {
        List<String> froms = dockerfile().stream().filter(line -> line.startsWith("FROM ")).toList();

        assertThat(froms).contains("FROM eclipse-temurin:25-jre AS image").last().isEqualTo("FROM image");
    }

    @Test
    void v2BakesInTheAvailabilityProductServiceReads() throws IOException {
        Map<String, String> settings = settingsOf("product-service-v2");

        assertThat(settings).containsExactly(Map.entry("product.availability", "true"));
        assertThat(productServiceDefault("product.availability")).isEqualTo("false");
    }

    @Test
    void v2BadIsV2WithFaultsThatClearlyFailTheCanaryGates() throws IOException {
        Map<String, String> settings = settingsOf("product-service-v2-bad");

        assertThat(dockerfile()).contains("FROM product-service-v2 AS product-service-v2-bad");
        assertThat(settings).containsOnlyKeys("release.fault.error.percent", "release.fault.delay");
        // keys product-service reads, each off by default
        assertThat(productServiceDefault("release.fault.error.percent")).isEqualTo("0");
        assertThat(productServiceDefault("release.fault.delay")).isEqualTo("PT0S");
        // at least twice the failures the success-rate gate allows, and a delay on every request past the p99 gate
        assertThat(Integer.parseInt(settings.get("release.fault.error.percent"))).isGreaterThanOrEqualTo(2 * (100 - GATE_SUCCESS_PERCENT));
        assertThat(Duration.parse(settings.get("release.fault.delay"))).isGreaterThan(GATE_P99);
    }

    record Result(int exit, List<String> calls) {
    }

    private static List<String> dockerfile() throws IOException {
        return Files.readAllLines(Kustomize.root().resolve("Dockerfile"), StandardCharsets.UTF_8);
    }

    // the ENV lines of one stage, as the config keys Helidon maps them to (RELEASE_FAULT_DELAY -> release.fault.delay)
    private static Map<String, String> settingsOf(String stage) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        boolean inStage = false;
        for (String line : dockerfile()) {
            if (line.startsWith("FROM ")) {
                inStage = line.endsWith(" AS " + stage);
            } else if (inStage && line.startsWith("ENV ")) {
                for (String pair : line.substring(4).trim().split("\\s+")) {
                    String[] kv = pair.split("=", 2);
                    env.put(kv[0], kv[1]);
                }
            }
        }
        assertThat(env).as("ENV of stage %s", stage).isNotEmpty();
        // each variable as the config key it names, proven by looking the key up the way the service does
        Map<String, String> keys = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            String key = name.toLowerCase(Locale.ROOT).replace("_dash_", "-").replace('_', '.');
            assertThat(ServiceEnvironment.value(env, key)).as("%s read as %s", name, key).hasValue(value);
            keys.put(key, value);
        });
        return keys;
    }

    private static String productServiceDefault(String key) throws IOException {
        JsonNode node = Kustomize.YAML.readTree(
                Kustomize.root().resolve("product-service/src/main/resources/application.yaml").toFile());
        for (String part : key.split("\\.")) {
            node = node.path(part);
        }
        assertThat(node.isValueNode()).as("%s in product-service's application.yaml", key).isTrue();
        return node.asText();
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path log = stubs.resolve("calls.log");
        for (String command : List.of("docker", "kind", "minikube")) {
            Path stub = stubs.resolve(command);
            Files.writeString(stub, "#!/bin/sh\necho \"" + command + " $*\" >> '" + log + "'\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(log, "");
        ProcessBuilder pb = new ProcessBuilder(concat("scripts/build-images.sh", args))
                .directory(Kustomize.root().toFile()).redirectErrorStream(true).redirectOutput(stubs.resolve("out.log").toFile());
        pb.environment().put("PATH", stubs + ":" + System.getenv("PATH"));
        pb.environment().keySet().removeAll(List.of("TAG", "SERVICES", "VARIANT"));
        pb.environment().putAll(env);
        int exit = pb.start().waitFor();
        return new Result(exit, Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.Arrays.stream(rest)).toList();
    }
}
