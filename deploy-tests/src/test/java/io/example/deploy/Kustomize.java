package io.example.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a kustomization the way {@code kubectl apply -k} would: with {@code kubectl kustomize} when
 * kubectl is installed, otherwise with a small reader of {@code resources}, {@code components}, the generators and
 * JSON 6902 patches (it says so).
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Kustomize() {
    }

    /**
     * @param folder project folder, e.g. {@code kubernetes}
     * @return the rendered objects
     */
    static List<Manifest> render(String folder) {
        return render(folder, false);
    }

    /**
     * @param folder        project folder
     * @param allComponents whether to switch on every optional component listed (commented out) there
     * @return the rendered objects
     */
    static List<Manifest> render(String folder, boolean allComponents) {
        Path copy = copyWithSecrets(ROOT.resolve(folder));
        if (allComponents) {
            try {
                Path k = copy.resolve("kustomization.yaml");
                Files.writeString(k, Files.readString(k).replaceAll("(?m)^#(\\s*- components/)", "$1"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parse(kubectlAvailable() ? kubectl(copy) : fallback(copy, null));
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

    private static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            System.out.println("kubectl not found: rendering kustomizations with the built-in reader");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String kubectl(Path dir) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
            byte[] err = new byte[0];
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // resources and components, recursively; generators become named stubs; JSON 6902 patches applied;
    // namespace set. Enough for these folders, not a kustomize.
    private static String fallback(Path dir, String namespace) {
        StringBuilder out = new StringBuilder();
        try {
            for (Manifest m : fallbackObjects(dir, namespace)) {
                out.append("---\n").append(YAML.writeValueAsString(m.json()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<Manifest> fallbackObjects(Path dir, String namespace) throws IOException {
        JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        String ns = k.has("namespace") ? k.get("namespace").asText() : namespace;
        List<Manifest> objects = new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText());
            objects.addAll(Files.isDirectory(path) ? fallbackObjects(path, ns) : parse(Files.readString(path)));
        }
        addGeneratedAndPatch(k, objects);
        // a component adds its resources to, and patches, what its parent has gathered
        for (JsonNode entry : k.path("components")) {
            Path component = dir.resolve(entry.asText());
            JsonNode c = YAML.readTree(component.resolve("kustomization.yaml").toFile());
            for (JsonNode resource : c.path("resources")) {
                objects.addAll(parse(Files.readString(component.resolve(resource.asText()))));
            }
            addGeneratedAndPatch(c, objects);
        }
        if (ns != null) {
            objects.stream().filter(m -> !m.is("Namespace"))
                    .forEach(m -> ((ObjectNode) m.json().with("metadata")).put("namespace", ns));
        }
        return objects;
    }

    private static void addGeneratedAndPatch(JsonNode k, List<Manifest> objects) throws IOException {
        for (String generator : List.of("secretGenerator", "configMapGenerator")) {
            for (JsonNode g : k.path(generator)) {
                objects.addAll(parse("apiVersion: v1\nkind: " + (generator.startsWith("secret") ? "Secret" : "ConfigMap")
                                             + "\nmetadata:\n  name: " + g.get("name").asText() + "\n"));
            }
        }
        for (JsonNode patch : k.path("patches")) {
            JsonNode target = patch.path("target");
            for (Manifest m : objects) {
                if (m.kind().equals(target.path("kind").asText()) && m.name().equals(target.path("name").asText())) {
                    for (JsonNode op : YAML.readTree(patch.path("patch").asText())) {
                        apply(m.json(), op);
                    }
                }
            }
        }
    }

    // JSON patch "add" and "replace" on an object member or array index (all the components use)
    private static void apply(ObjectNode root, JsonNode op) {
        String path = op.path("path").asText();
        JsonNode parent = root.at(path.substring(0, path.lastIndexOf('/')));
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, op.path("value").deepCopy());
        } else if (parent instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            array.set(Integer.parseInt(last), op.path("value").deepCopy());
        } else {
            throw new IllegalStateException("cannot " + op.path("op").asText() + " at " + path);
        }
    }

    // the secret files are never committed: render a copy with throwaway ones, as scripts/make-secrets.sh makes
    private static Path copyWithSecrets(Path source) {
        try {
            Path target = Files.createTempDirectory("render-").resolve(source.getFileName());
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
            Path secrets = target.resolve("secrets");
            if (Files.isDirectory(secrets)) {
                Files.writeString(secrets.resolve("db-passwords.env"), "postgres=x\nauth=x\nproduct=x\norders=x\n");
                Files.writeString(secrets.resolve("jwt-private.pem"), "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n");
                Files.writeString(secrets.resolve("admin-user.env"), "email=admin@example.com\npassword=x\n");
                Files.writeString(secrets.resolve("service-clients.env"), "order-service=x\n");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
