package io.example.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the real {@code scripts/verify-cluster.sh} against a cluster that exists only as recorded answers:
 * {@code kubectl}, {@code istioctl} and {@code curl} on its PATH are {@code verify-cluster/stub.sh}, replaying the
 * scenario folders under {@code verify-cluster/} (a broken one laid over {@code passing}), and the PATH holds
 * nothing else but the ordinary tools the script uses, so a missing one can be simulated.
 */
final class StubbedCluster {
    private static final Path SCRIPT = Path.of("..", "scripts", "verify-cluster.sh").toAbsolutePath().normalize();
    private static final List<String> RECORDED = List.of("kubectl", "istioctl", "curl");
    private static final List<String> ORDINARY_TOOLS = List.of("bash", "env", "od", "tr", "date", "mktemp", "rm", "sed",
            "head", "tail", "cat", "cut", "seq", "sleep", "grep", "awk", "base64", "openssl", "wc", "sort", "uniq", "paste");
    private static final long TIMEOUT_SECONDS = 180;

    private final List<String> scenarios;
    private final Set<String> missing;

    private StubbedCluster(List<String> scenarios, Set<String> missing) {
        this.scenarios = scenarios;
        this.missing = missing;
    }

    /** @return a cluster where every promise holds (kind: no load balancer, the canary component on, Flagger initialised) */
    static StubbedCluster healthy() {
        return new StubbedCluster(List.of("passing"), Set.of());
    }

    /**
     * @param scenario a folder under {@code verify-cluster/} whose answers replace the healthy ones
     * @return this cluster with one promise broken
     */
    StubbedCluster with(String scenario) {
        List<String> layered = new ArrayList<>(scenarios);
        layered.addFirst(scenario);
        return new StubbedCluster(layered, missing);
    }

    /**
     * @param tool a recorded tool left off the PATH
     * @return this cluster seen from a machine without that tool
     */
    StubbedCluster without(String tool) {
        Set<String> gone = new HashSet<>(missing);
        gone.add(tool);
        return new StubbedCluster(scenarios, gone);
    }

    /**
     * @param args the script's options
     * @return what the script printed and its exit status, and every call it made to a recorded tool
     */
    Verification verify(String... args) {
        Path work = temporaryDirectory();
        try {
            Path bin = Files.createDirectories(work.resolve("bin"));
            Path state = Files.createDirectories(work.resolve("state"));
            installTools(bin);
            List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
            command.addAll(Arrays.asList(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(work.resolve("stdout").toFile())
                    .redirectError(work.resolve("stderr").toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", bin.toString());
            env.put("TMPDIR", work.toString());
            env.put("VC_STATE", state.toString());
            env.put("VC_ANSWERS", scenarios.stream().map(s -> fixtures().resolve(s).toString()).collect(Collectors.joining(":")));
            // the recorded backend answers at once: one look for the trace, no waiting
            env.put("VERIFY_TRACE_WAIT", "3");
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("verify-cluster.sh still running after " + TIMEOUT_SECONDS + " s");
            }
            Path calls = state.resolve("calls.log");
            return new Verification(process.exitValue(),
                                    Files.readString(work.resolve("stdout")),
                                    Files.readString(work.resolve("stderr")),
                                    Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(work);
        }
    }

    private void installTools(Path bin) throws IOException {
        Path stub = fixtures().resolve("stub.sh");
        for (String tool : RECORDED) {
            if (!missing.contains(tool)) {
                Path copy = Files.copy(stub, bin.resolve(tool));
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        for (String tool : ORDINARY_TOOLS) {
            Files.createSymbolicLink(bin.resolve(tool), onSystemPath(tool)
                    .orElseThrow(() -> new AssertionError(tool + " is needed to run verify-cluster.sh and is not installed")));
        }
    }

    private static Optional<Path> onSystemPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":"))
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path fixtures() {
        try {
            return Path.of(StubbedCluster.class.getResource("/verify-cluster").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("verify-cluster-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
