package io.example.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;

/**
 * A stand-in service behind the gateway: a real Helidon server on a free port that records every request
 * it receives and answers with handlers a test sets per method and path.
 */
final class FakeBackend implements AutoCloseable {
    /**
     * One request as the backend saw it.
     *
     * @param method  method
     * @param path    raw path
     * @param query   raw query ("" when none)
     * @param headers headers, names in lower case (first value)
     * @param body    body text
     */
    record Seen(String method, String path, String query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    // slow handlers wait on this; released when the backend closes so no test waits on a sleeping thread
    private final CountDownLatch closing = new CountDownLatch(1);
    private final WebServer server;

    private FakeBackend() {
        server = WebServer.builder()
                .port(0)
                .routing(routing -> routing.any((req, res) -> {
                    String body = req.content().hasEntity() ? req.content().as(String.class) : "";
                    Map<String, String> headers = new ConcurrentHashMap<>();
                    req.headers().forEach(h -> headers.put(h.name().toLowerCase(), h.get()));
                    String method = req.prologue().method().text();
                    String path = req.path().rawPath();
                    seen.add(new Seen(method, path, req.query().rawValue(), headers, body));
                    Handler handler = handlers.get(method + " " + path);
                    if (handler == null) {
                        handler = handlers.get(method + " *");
                    }
                    if (handler == null) {
                        res.header(HeaderNames.CONTENT_TYPE, "application/json");
                        res.send("{\"method\":\"" + method + "\",\"path\":\"" + path + "\"}");
                    } else {
                        handler.handle(req, res);
                    }
                }))
                .build()
                .start();
    }

    static FakeBackend start() {
        return new FakeBackend();
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    /**
     * Answer {@code method path} (path without query; {@code *} for any path) with a handler.
     */
    FakeBackend on(String method, String path, Handler handler) {
        handlers.put(method + " " + path, handler);
        return this;
    }

    /**
     * Answer {@code method path} with JSON.
     */
    FakeBackend json(String method, String path, int status, String json) {
        return on(method, path, (req, res) -> {
            res.status(Status.create(status));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(json);
        });
    }

    /**
     * Answer {@code method path} only after the backend closes (a backend that hangs).
     */
    FakeBackend hang(String method, String path) {
        return on(method, path, (req, res) -> {
            closing.await(30, TimeUnit.SECONDS);
            res.send("late");
        });
    }

    List<Seen> requests() {
        return List.copyOf(seen);
    }

    long count(String method, String path) {
        return seen.stream().filter(s -> s.method().equals(method) && s.path().equals(path)).count();
    }

    void forget() {
        seen.clear();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop();
    }
}
