package io.example.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FreePorts;
import io.example.commons.testing.KafkaBroker;
import io.example.commons.testing.TestHttp;

/**
 * Services as separate {@code java -jar} processes on free ports, each with its default embedded database
 * (an H2 file under {@code ./data/<service>/} of the stack's own temporary working directory), wired to each
 * other by URL and to a Kafka broker of the stack's own, exactly as {@code run-local.sh} wires them. The shared
 * stack of all four is started once per test JVM and stopped when it exits; a test that kills services starts
 * its own.
 */
public final class ServiceStack implements AutoCloseable {
    public static final String ADMIN_EMAIL = "admin@example.com";
    public static final String ADMIN_PASSWORD = "e2e-Trombone-lighthouse";
    /** How often the verifiers re-read the revoked sessions in this stack. */
    static final Duration REVOCATION_POLL = Duration.ofMillis(500);
    /** The order service's client secret, shared by auth-service and order-service as in run-local.sh. */
    static final String ORDER_SERVICE_CLIENT_SECRET = "e2e-" + java.util.UUID.randomUUID();
    public static final List<String> ALL = List.of("gateway", "auth-service", "product-service", "order-service");
    /** A second gateway replica, for a stack that asks for it: the gateway's jar and config, its own port. */
    public static final String SECOND_GATEWAY = "gateway-b";

    private static ServiceStack instance;

    private final Path workDir;
    private final List<String> services;
    private final Map<String, Map<String, String>> settings;
    private final Map<String, String> environment;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, OpenApiContract> contracts = new ConcurrentHashMap<>();
    private final KafkaBroker kafka;

    private ServiceStack(List<String> services, Map<String, Map<String, String>> settings,
                         Map<String, String> environment) throws IOException {
        this.services = services;
        this.settings = settings;
        this.environment = environment;
        workDir = Files.createTempDirectory("e2e-stack");
        for (String service : ALL) {
            ports.put(service, FreePorts.next());
        }
        for (String service : services) {
            ports.putIfAbsent(service, FreePorts.next());
        }
        kafka = KafkaBroker.start();
    }

    /**
     * @return the running stack of all four services, started on first use
     */
    public static synchronized ServiceStack get() {
        if (instance == null) {
            instance = start(ALL, Map.of());
        }
        return instance;
    }

    /**
     * A stack of its own, for a test that stops or kills services; the caller closes it (and if it does not,
     * the test JVM's exit does).
     *
     * @param services which services to run
     * @param settings per service, config keys and values (passed as system properties, which override
     *                 application.yaml and the environment)
     * @return the started stack, every service ready
     */
    public static ServiceStack start(List<String> services, Map<String, Map<String, String>> settings) {
        return start(services, settings, Map.of());
    }

    /**
     * A stack of its own whose every service also gets some environment variables (the standard {@code OTEL_*}
     * ones, which the OpenTelemetry SDK reads from the environment); the caller closes it.
     *
     * @param services    which services to run
     * @param settings    per service, config keys and values (see {@link #start(List, Map)})
     * @param environment variables set for every service, over the stack's own
     * @return the started stack, every service ready
     */
    public static ServiceStack start(List<String> services, Map<String, Map<String, String>> settings,
                                     Map<String, String> environment) {
        try {
            ServiceStack stack = new ServiceStack(services, settings, environment);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            stack.startAll();
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kill a service with SIGKILL: no shutdown hook runs, nothing is flushed.
     *
     * @param service service name
     */
    public void kill(String service) {
        Process process = processes.get(service);
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(service + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Start a service again on its port and its data directory, and wait until it is ready.
     *
     * @param service service name
     */
    public void restart(String service) {
        try {
            processes.put(service, launch(service));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(service, Instant.now().plus(Duration.ofSeconds(90)));
    }

    /**
     * @return the stack's broker, which every service reaches through {@code KAFKA_BOOTSTRAP_SERVERS}
     */
    public KafkaBroker kafka() {
        return kafka;
    }

    /**
     * @param service service name
     * @return the JDBC URL of its H2 database (open it only while the service is stopped)
     */
    public String databaseUrl(String service) {
        return "jdbc:h2:file:" + workDir.resolve("data").resolve(service).resolve("db");
    }

    /**
     * @param service service name
     * @return its base URL
     */
    public String url(String service) {
        return "http://localhost:" + ports.get(service);
    }

    /**
     * A client of one service whose every response is held to that service's OpenAPI document: e2e tests
     * talk to the stack through these.
     *
     * @param service service name
     * @return a client of its base URL
     */
    public TestHttp http(String service) {
        return new TestHttp(url(service), contract(service));
    }

    /**
     * @param service service name
     * @return its OpenAPI document as it serves it, fetched once
     */
    public OpenApiContract contract(String service) {
        return contracts.computeIfAbsent(service, name -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(name) + ServiceServer.OPENAPI_PATH))
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .build();
            try {
                HttpResponse<String> document = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                if (document.statusCode() != 200) {
                    throw new IllegalStateException(name + " answered " + document.statusCode() + " for its OpenAPI document");
                }
                return new OpenApiContract(name, document.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * @param service service name
     * @return what the service has logged so far
     */
    public String log(String service) {
        try {
            return Files.readString(logFile(service));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Wait up to 5 s for a service to log a text (log lines are written when a response is sent).
     *
     * @param service service name
     * @param text    text to find
     * @return whether it appeared
     */
    public boolean eventuallyLogged(String service, String text) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (Instant.now().isBefore(deadline)) {
            if (log(service).contains(text)) {
                return true;
            }
            sleep(Duration.ofMillis(100));
        }
        return false;
    }

    private void startAll() throws IOException {
        for (String service : services) {
            processes.put(service, launch(service));
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        for (String service : services) {
            awaitReady(service, deadline);
        }
    }

    private Process launch(String service) throws IOException {
        String module = service.equals(SECOND_GATEWAY) ? "gateway" : service;
        Path jar = Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build from the project root (./mvnw verify)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        settings.getOrDefault(service, Map.of()).forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        // no DB_URL: the default, ./data/<service>/db, lands in the working directory
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(service).toFile()));
        Map<String, String> env = builder.environment();
        env.put("SERVER_PORT", Integer.toString(ports.get(service)));
        env.put("AUTH_SERVICE_URL", url("auth-service"));
        env.put("PRODUCT_SERVICE_URL", url("product-service"));
        env.put("ORDER_SERVICE_URL", url("order-service"));
        env.put("ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("ORDER_SERVICE_CLIENT_SECRET", ORDER_SERVICE_CLIENT_SECRET);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        // revocations reach every verifier within this (the default is 5 s)
        env.put("JWT_REVOCATION_POLL_INTERVAL", REVOCATION_POLL.toString());
        // the tests make many requests from one address; the limits themselves are tested separately
        env.put("RATE_LIMIT_PER_SECOND", "10000");
        env.put("RATE_LIMIT_BURST", "10000");
        env.put("LOGIN_RATE_LIMIT_PER_MINUTE", "10000");
        env.putAll(environment);
        return builder.start();
    }

    private void awaitReady(String service, Instant deadline) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url(service) + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            Process process = processes.get(service);
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited with " + process.exitValue() + ":\n" + log(service));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException(service + " was not ready in time:\n" + log(service));
    }

    /**
     * Stop a service gracefully and wait for it to exit.
     *
     * @param service service name
     */
    public void stop(String service) {
        Process process = processes.get(service);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        processes.keySet().forEach(this::stop);
        // last, so what the services publish while they stop still has somewhere to go
        kafka.close();
    }

    private Path logFile(String service) {
        return workDir.resolve(service + ".log");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
