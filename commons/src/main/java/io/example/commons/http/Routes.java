package io.example.commons.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.example.commons.tracing.RequestInfo;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.Method;
import io.helidon.http.RoutedPath;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

/**
 * A service's route table, written relative to where {@code Main} mounts the service. Every route it
 * registers records its full template (mount point included) for the metrics labels, refuses path
 * parameters with control characters (400), and after the routes it answers other methods on a known path
 * with 405 and {@code Allow} (Helidon alone would answer 404). A GET route serves HEAD too: the GET's status
 * and headers without its body ({@link HeadResponse}).
 *
 * <p>A route takes no query unless it is registered with {@link #getWithQuery}, whose handler reads the query
 * through {@link QueryParameters}: on every other route any query parameter is refused with 400, as an unknown
 * one is on a list. Otherwise {@code /api/products/p-1?x=1} would be served as {@code /api/products/p-1}, and
 * each new {@code x} would be a new entry in the gateway's cache, pushing real ones out.
 *
 * <pre>{@code
 * // in Main: routing.register("/api/products", new ProductRoutes(...));
 * public void routing(HttpRules rules) {
 *     Routes.create()
 *           .getWithQuery("/", this::list)
 *           .get("/{id}", this::get)
 *           .register(rules);
 * }
 * }</pre>
 */
public final class Routes {
    private record Route(Method method, String path, boolean takesQuery, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    private Routes() {
    }

    /**
     * Start a table for a service; where it is mounted is read from the requests it serves.
     *
     * @return a new table
     */
    public static Routes create() {
        return new Routes();
    }

    /**
     * @param path    path template relative to the prefix
     * @param handler handler
     * @return this table
     */
    public Routes get(String path, Handler handler) {
        return add(Method.GET, path, handler);
    }

    /**
     * A GET whose handler reads its query parameters, each through {@link QueryParameters} (which refuses the ones
     * it does not take).
     *
     * @param path    path template relative to the prefix
     * @param handler handler
     * @return this table
     */
    public Routes getWithQuery(String path, Handler handler) {
        routes.add(new Route(Method.GET, path, true, handler));
        return this;
    }

    /**
     * @param path    path template relative to the prefix
     * @param handler handler
     * @return this table
     */
    public Routes post(String path, Handler handler) {
        return add(Method.POST, path, handler);
    }

    /**
     * @param path    path template relative to the prefix
     * @param handler handler
     * @return this table
     */
    public Routes put(String path, Handler handler) {
        return add(Method.PUT, path, handler);
    }

    /**
     * @param path    path template relative to the prefix
     * @param handler handler
     * @return this table
     */
    public Routes patch(String path, Handler handler) {
        return add(Method.PATCH, path, handler);
    }

    /**
     * @param path    path template relative to the prefix
     * @param handler handler
     * @return this table
     */
    public Routes delete(String path, Handler handler) {
        return add(Method.DELETE, path, handler);
    }

    /**
     * Register the routes, then the 405 answers for their paths.
     *
     * @param rules the rules of the service being set up
     */
    public void register(HttpRules rules) {
        Map<String, Set<Method>> methodsByPath = new LinkedHashMap<>();
        for (Route route : routes) {
            Handler handler = route.handler();
            Handler checked = (req, res) -> {
                req.context().get(RequestInfo.class).ifPresent(info -> info.route(label(req.path(), route.path())));
                requireNoControlCharacters(req.path().pathParameters());
                if (!route.takesQuery()) {
                    QueryParameters.of(req.query(), Set.of()).validated();
                }
                handler.handle(req, res);
            };
            rules.route(route.method(), route.path(), checked);
            Set<Method> methods = methodsByPath.computeIfAbsent(route.path(), p -> new LinkedHashSet<>());
            methods.add(route.method());
            if (route.method() == Method.GET) {
                // RFC 9110: a server that serves GET serves HEAD, the same answer without its body
                rules.route(Method.HEAD, route.path(), head(checked));
                methods.add(Method.HEAD);
            }
        }
        methodsByPath.forEach((path, methods) -> {
            String allow = methods.stream().map(Method::text).collect(Collectors.joining(", "));
            rules.any(path, (req, res) -> {
                throw new ProblemException(Problem.of(Status.METHOD_NOT_ALLOWED_405,
                                                      "Use " + allow + " on this path."))
                        .withHeader("Allow", allow);
            });
        });
    }

    /**
     * The HEAD of a GET route registered outside a table (RFC 9110: the GET's status and headers, its
     * {@code Content-Length} included, and no body).
     *
     * @param get the GET's handler
     * @return the handler for HEAD on the same path
     */
    public static Handler head(Handler get) {
        return (req, res) -> get.handle(req, HeadResponse.of(req, res));
    }

    // the template under the service's mount point: the request's path less what the service's own route matched
    // (Helidon gives a service's routes the path relative to where it is mounted); the mount point is a literal
    // prefix, so the label's cardinality stays bounded
    private static String label(RoutedPath path, String template) {
        String absolute = path.absolute().path();
        String relative = path.path();
        String mountPoint = "/".equals(relative) ? absolute
                : absolute.endsWith(relative) ? absolute.substring(0, absolute.length() - relative.length())
                : "";
        if (mountPoint.endsWith("/")) {
            mountPoint = mountPoint.substring(0, mountPoint.length() - 1);
        }
        return "/".equals(template) && !mountPoint.isEmpty() ? mountPoint : mountPoint + template;
    }

    // a decoded %00 or %0A in an id would reach SQL (PostgreSQL refuses NUL: a 500) and the logs
    private static void requireNoControlCharacters(Parameters pathParameters) {
        for (String name : pathParameters.names()) {
            if (pathParameters.get(name).chars().anyMatch(Character::isISOControl)) {
                throw ProblemException.invalid(name, "must not contain control characters");
            }
        }
    }

    private Routes add(Method method, String path, Handler handler) {
        routes.add(new Route(method, path, false, handler));
        return this;
    }
}
