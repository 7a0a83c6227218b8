package io.example.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a kustomization with the real {@code kubectl kustomize}, so what is tested is what
 * {@code kubectl apply -k} applies. kubectl must be installed ({@code .ci/run} installs it): without it the
 * tests fail, they never skip.
 * <p>
 * The folder is rendered from a throw-away copy: the secret files kustomize generates Secrets from are never
 * committed, so {@code scripts/make-secrets.sh} writes fresh ones into the copy (which also proves the script
 * makes every file the kustomization reads).
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    // an optional component is listed in the kustomization commented out, for a user to switch on
    private static final Pattern OPTIONAL_COMPONENT = Pattern.compile("(?m)^#\\s*- (components/\\S+)\\s*$");
    private static final Pattern LISTED_COMPONENT = Pattern.compile("(?m)^#?\\s*- (components/\\S+)\\s*$");
    // where no component is on yet, the components: key is commented out too (kubernetes/)
    private static final Pattern COMMENTED_COMPONENTS_KEY = Pattern.compile("(?m)^#\\s*(components:\\s*)$");

    private Kustomize() {
    }

    private static List<Manifest> rendered;
    private static List<Manifest> everything;

    /**
     * @return the objects of kubernetes/ and istio/ together, every optional component on: our manifests alone.
     *         Rendered once per test run; callers copy before changing anything (see Mutations).
     */
    static synchronized List<Manifest> rendered() {
        if (rendered == null) {
            List<Manifest> all = new ArrayList<>(render("kubernetes", optionalComponents("kubernetes")));
            all.addAll(render("istio", optionalComponents("istio")));
            rendered = List.copyOf(all);
        }
        return rendered;
    }

    /**
     * @return {@link #rendered()} and what the operators make from it: the Strimzi operator from the Kafka resources
     *         (StrimziOperands), Flagger from the Canary (FlaggerOperands). What the mesh checks run over, as the
     *         cluster runs it. Callers copy before changing anything (see Mutations).
     */
    static synchronized List<Manifest> everything() {
        if (everything == null) {
            List<Manifest> all = new ArrayList<>(rendered());
            all.addAll(StrimziOperands.of(rendered()));
            all.addAll(FlaggerOperands.of(rendered()));
            everything = List.copyOf(all);
        }
        return everything;
    }

    /**
     * @param folder project folder, e.g. {@code kubernetes}
     * @return the rendered objects, as committed (optional components off)
     */
    static List<Manifest> render(String folder) {
        return render(folder, List.of());
    }

    /**
     * @param folder     project folder
     * @param components optional components of that folder to switch on, e.g. {@code components/fault-injection}
     * @return the rendered objects
     */
    static List<Manifest> render(String folder, List<String> components) {
        Path copy = copyWithSecrets(folder);
        try {
            Path kustomization = copy.resolve("kustomization.yaml");
            String text = Files.readString(kustomization);
            for (String component : components) {
                String switchedOn = text.replaceFirst("(?m)^#(\\s*- " + Pattern.quote(component) + "\\s*)$", "$1");
                if (switchedOn.equals(text)) {
                    throw new IllegalArgumentException(folder + "/kustomization.yaml lists no optional " + component);
                }
                text = switchedOn;
            }
            if (!components.isEmpty()) {
                text = COMMENTED_COMPONENTS_KEY.matcher(text).replaceFirst("$1");
            }
            Files.writeString(kustomization, text);
            return parse(run(copy.getParent(), "kubectl", "kustomize", copy.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(copy.getParent());
        }
    }

    /**
     * @param folder project folder
     * @return the optional components its kustomization lists (commented out), in order
     */
    static List<String> optionalComponents(String folder) {
        return components(folder, OPTIONAL_COMPONENT);
    }

    /**
     * @param folder project folder
     * @return every component its kustomization lists, switched on or optional, in order
     */
    static List<String> listedComponents(String folder) {
        return components(folder, LISTED_COMPONENT);
    }

    private static List<String> components(String folder, Pattern listed) {
        try {
            Matcher m = listed.matcher(Files.readString(ROOT.resolve(folder).resolve("kustomization.yaml")));
            List<String> components = new ArrayList<>();
            while (m.find()) {
                components.add(m.group(1));
            }
            return components;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param yaml multi-document YAML
     * @return objects
     */
    static List<Manifest> parse(String yaml) {
        List<Manifest> manifests = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = (JsonNode) docs.next();
                if (doc instanceof ObjectNode object && object.has("kind")) {
                    manifests.add(new Manifest(object));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return manifests;
    }

    static Path root() {
        return ROOT;
    }

    private static Path copyWithSecrets(String folder) {
        Path source = ROOT.resolve(folder);
        try {
            Path target = Files.createTempDirectory("render-").resolve(folder);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to);
                    }
                }
            }
            if (Files.isDirectory(target.resolve("secrets"))) {
                run(ROOT, "env", "SECRETS_DIR=" + target.resolve("secrets"), "scripts/make-secrets.sh");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path tree) {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(Path dir, String... command) {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " is needed to render the manifests and could not be started ("
                                                    + e.getMessage() + "); install it, e.g. apt-get install kubectl"
                                                    + " (.ci/run does)", e);
        }
        try {
            // read stderr beside stdout: a full pipe would block the process
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String out = readAll(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + err.join());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
