package io.example.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/build-images.sh loads the images into kind or minikube, run with stub {@code docker}, {@code kind} and
 * {@code minikube} commands on PATH that only record how they were called.
 */
class BuildImagesScriptTest {
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
                .extracting(c -> c.replaceFirst("^docker build --build-arg SERVICE=(\\S+) -t ms-\\1:1\\.0\\.0 \\.$", "ms-$1"))
                .containsExactlyInAnyOrderElementsOf(MeshChecks.builtImages());
    }

    @Test
    void anUnknownOptionFailsBeforeBuilding() throws Exception {
        Result result = run("", "--k3d");

        assertThat(result.exit()).isNotZero();
        assertThat(result.calls()).noneMatch(c -> c.startsWith("docker build"));
    }

    record Result(int exit, List<String> calls) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
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
        pb.environment().keySet().removeAll(List.of("TAG", "SERVICES"));
        int exit = pb.start().waitFor();
        return new Result(exit, Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.Arrays.stream(rest)).toList();
    }
}
