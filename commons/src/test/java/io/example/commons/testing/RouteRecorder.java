package io.example.commons.testing;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.helidon.http.Method;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpSecurity;
import io.helidon.webserver.http.HttpService;

/**
 * Records the route table a service's {@code Main.routing} builds while passing every call on to the real
 * routing, so a test reads the routes of the code that runs. A route given without a path template
 * (a prebuilt {@link HttpRoute}, a {@code PathMatcher}, a path-less {@code get(handler)}) fails the build:
 * the contract tests could not see it.
 *
 * <pre>{@code
 * RouteRecorder recorder = new RouteRecorder();
 * ServiceServer.configure(server, config, routing -> Main.routing(recorder.around(routing), config, database), readiness);
 * recorder.routes();
 * }</pre>
 */
public final class RouteRecorder {
    /**
     * A registered route.
     *
     * @param method its method, or null for a route that takes every method ({@code any})
     * @param path   its full path template, service prefixes included
     */
    public record Route(Method method, String path) {
        /**
         * @return whether this route takes every method
         */
        public boolean anyMethod() {
            return method == null;
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /**
     * @param routing the real routing
     * @return a routing that records what is registered on it and passes it on
     */
    public HttpRouting.Builder around(HttpRouting.Builder routing) {
        return new Recording(routing, "");
    }

    /**
     * @return the routes registered so far, in order
     */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    // one class for the top-level routing and for the rules a service gets under its prefix: the builder's
    // own methods (filters, features, error handlers) are only ever called at the top
    private final class Recording implements HttpRouting.Builder {
        private final HttpRules delegate;
        private final String prefix;

        private Recording(HttpRules delegate, String prefix) {
            this.delegate = delegate;
            this.prefix = prefix;
        }

        @Override
        public HttpRouting.Builder register(HttpService... services) {
            delegate.register(recorded(prefix, services));
            return this;
        }

        @Override
        public HttpRouting.Builder register(String path, HttpService... services) {
            delegate.register(path, recorded(prefix + path, services));
            return this;
        }

        @Override
        public HttpRouting.Builder route(Method method, String path, Handler handler) {
            routes.add(new Route(method, prefix + path));
            delegate.route(method, path, handler);
            return this;
        }

        @Override
        public HttpRouting.Builder get(String path, Handler... handlers) {
            return each(Method.GET, path, handlers);
        }

        @Override
        public HttpRouting.Builder post(String path, Handler... handlers) {
            return each(Method.POST, path, handlers);
        }

        @Override
        public HttpRouting.Builder put(String path, Handler... handlers) {
            return each(Method.PUT, path, handlers);
        }

        @Override
        public HttpRouting.Builder patch(String path, Handler... handlers) {
            return each(Method.PATCH, path, handlers);
        }

        @Override
        public HttpRouting.Builder delete(String path, Handler... handlers) {
            return each(Method.DELETE, path, handlers);
        }

        @Override
        public HttpRouting.Builder head(String path, Handler... handlers) {
            return each(Method.HEAD, path, handlers);
        }

        @Override
        public HttpRouting.Builder options(String path, Handler... handlers) {
            return each(Method.OPTIONS, path, handlers);
        }

        @Override
        public HttpRouting.Builder trace(String path, Handler... handlers) {
            return each(Method.TRACE, path, handlers);
        }

        @Override
        public HttpRouting.Builder any(String path, Handler... handlers) {
            routes.add(new Route(null, prefix + path));
            delegate.any(path, handlers);
            return this;
        }

        @Override
        public HttpRouting.Builder route(HttpRoute route) {
            throw new UnsupportedOperationException("register routes with a path template (get(\"/x\", ...), any(\"/x\", ...)) "
                                                    + "so the OpenAPI contract tests can see them");
        }

        @Override
        public HttpRouting.Builder addFilter(Filter filter) {
            top().addFilter(filter);
            return this;
        }

        @Override
        public HttpRouting.Builder addFeature(Supplier<? extends HttpFeature> feature) {
            top().addFeature(feature);
            return this;
        }

        @Override
        public <T extends Throwable> HttpRouting.Builder error(Class<T> exceptionClass, ErrorHandler<? super T> handler) {
            top().error(exceptionClass, handler);
            return this;
        }

        @Override
        public HttpRouting.Builder maxReRouteCount(int maxReRouteCount) {
            top().maxReRouteCount(maxReRouteCount);
            return this;
        }

        @Override
        public HttpRouting.Builder security(HttpSecurity security) {
            top().security(security);
            return this;
        }

        @Override
        public HttpRouting.Builder copy() {
            throw new UnsupportedOperationException("a recorded routing is not copied");
        }

        @Override
        public HttpRouting build() {
            return top().build();
        }

        private HttpRouting.Builder each(Method method, String path, Handler... handlers) {
            for (Handler handler : handlers) {
                route(method, path, handler);
            }
            return this;
        }

        private HttpRouting.Builder top() {
            return (HttpRouting.Builder) delegate;
        }

        private HttpService[] recorded(String at, HttpService[] services) {
            return Arrays.stream(services)
                    .map(service -> new RecordedService(service, at))
                    .toArray(HttpService[]::new);
        }
    }

    private final class RecordedService implements HttpService {
        private final HttpService service;
        private final String prefix;

        private RecordedService(HttpService service, String prefix) {
            this.service = service;
            this.prefix = prefix;
        }

        @Override
        public void routing(HttpRules rules) {
            service.routing(new Recording(rules, prefix));
        }

        @Override
        public void beforeStart() {
            service.beforeStart();
        }

        @Override
        public void afterStop() {
            service.afterStop();
        }
    }
}
