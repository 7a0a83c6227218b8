package io.example.commons.testing;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.example.commons.server.ServiceServer;

import io.helidon.http.Method;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a running service's OpenAPI document against the routes its code registered: every route is a
 * documented operation, and every documented operation is served.
 */
public final class DocumentedRoutes {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    /**
     * An operation of the document.
     *
     * @param method upper-case method
     * @param path   path template as the document writes it
     */
    public record Operation(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private DocumentedRoutes() {
    }

    /**
     * @param document an OpenAPI document (YAML or JSON)
     * @return its operations
     */
    @SuppressWarnings("unchecked")
    public static Set<Operation> operations(String document) {
        Map<String, Object> root = new Yaml().load(document);
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) root.get("paths");
        Set<Operation> operations = new LinkedHashSet<>();
        paths.forEach((path, item) -> item.keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> operations.add(new Operation(method.toUpperCase(Locale.ROOT), path))));
        return operations;
    }

    /**
     * Fetch the server's {@code /openapi} and compare it with the routes recorded while its routing was built.
     * A documented operation that is not in the recorded table (ServiceServer's own health, metrics and
     * OpenAPI endpoints) must be answered by the server with something other than 404 or 405.
     *
     * @param server   the running service
     * @param recorder what its {@code Main.routing} registered
     */
    public static void assertMatch(TestHttp server, RouteRecorder recorder) {
        var served = server.get(ServiceServer.OPENAPI_PATH);
        assertThat(served.statusCode()).as("GET %s", ServiceServer.OPENAPI_PATH).isEqualTo(200);
        Set<Operation> documented = operations(served.body());
        List<RouteRecorder.Route> routes = recorder.routes();
        assertThat(routes).as("recorded routes").isNotEmpty();
        Set<String> explicitPaths = routes.stream()
                .filter(route -> !route.anyMethod())
                .map(route -> normalized(route.path()))
                .collect(Collectors.toSet());

        List<String> problems = new ArrayList<>();
        for (RouteRecorder.Route route : routes) {
            undocumented(route, documented, explicitPaths, routes).ifPresent(problems::add);
        }
        for (Operation operation : documented) {
            boolean recorded = routes.stream().anyMatch(route -> serves(route, operation, explicitPaths));
            if (!recorded) {
                int status = server.send(server.request(sample(operation.path()))
                                                 .method(operation.method(), HttpRequest.BodyPublishers.noBody()))
                        .statusCode();
                if (status == 404 || status == 405) {
                    problems.add("documented but not served: " + operation + " answers " + status);
                }
            }
        }
        assertThat(problems).as("routes in code vs. the OpenAPI document").isEmpty();
    }

    private static Optional<String> undocumented(RouteRecorder.Route route,
                                                 Set<Operation> documented,
                                                 Set<String> explicitPaths,
                                                 List<RouteRecorder.Route> routes) {
        String path = normalized(route.path());
        if (!route.anyMethod()) {
            Operation operation = new Operation(route.method().text(), path);
            // the HEAD that Routes serves beside every GET is the GET's operation without a body (RFC 9110)
            boolean headOfDocumentedGet = route.method() == Method.HEAD
                    && documented.contains(new Operation(Method.GET.text(), path));
            return documented.contains(operation) || headOfDocumentedGet ? Optional.empty()
                    : Optional.of("route not in the document: " + operation);
        }
        if (explicitPaths.contains(path)) {
            // the 405 answer Routes registers for the other methods of a known path
            return Optional.empty();
        }
        if (path.endsWith("/*")) {
            String base = path.substring(0, path.length() - 1);
            return documented.stream().anyMatch(operation -> operation.path().startsWith(base))
                    ? Optional.empty()
                    : Optional.of("mount with nothing documented under it: " + path);
        }
        boolean mountsSubtree = routes.stream().anyMatch(other -> other.anyMethod()
                && normalized(other.path()).equals(path + "/*"));
        return mountsSubtree || documented.stream().anyMatch(operation -> operation.path().equals(path))
                ? Optional.empty()
                : Optional.of("route for every method not in the document: " + path);
    }

    private static boolean serves(RouteRecorder.Route route, Operation operation, Set<String> explicitPaths) {
        String path = normalized(route.path());
        if (!route.anyMethod()) {
            return route.method().text().equals(operation.method()) && path.equals(operation.path());
        }
        if (explicitPaths.contains(path)) {
            return false;
        }
        return path.endsWith("/*")
                ? operation.path().startsWith(path.substring(0, path.length() - 1))
                : path.equals(operation.path());
    }

    // a service mounted at /api/x registers "/" for /api/x itself
    private static String normalized(String path) {
        if (path.isEmpty()) {
            return "/";
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String sample(String template) {
        return template.replaceAll("\\{[^}]+}", "x");
    }
}
