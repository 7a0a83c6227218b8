package io.example.commons.tracing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's OTLP exporter, built as {@code Tracing.start} builds it, sends through {@link OtlpSender} to a
 * collector on this machine: what arrives, and what the exporter is told when the collector refuses, is away,
 * or never answers.
 */
class OtlpSenderTest {
    private static final RetryPolicy QUICK_RETRIES = RetryPolicy.builder()
            .setMaxAttempts(3)
            .setInitialBackoff(Duration.ofMillis(10))
            .setMaxBackoff(Duration.ofMillis(50))
            .build();

    private Collector collector;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void itIsTheOnlySenderTheSdkFinds() {
        assertThat(ServiceLoader.load(HttpSenderProvider.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(OtlpSender.class);
    }

    @Test
    void spansArriveAsProtobufWithTheExportersHeaders() {
        collector = Collector.answering(200);

        CompletableResultCode result = export(exporter().addHeader("api-key", "s3cret"));

        assertThat(result.isSuccess()).isTrue();
        Received export = collector.received.getFirst();
        assertThat(export.method()).isEqualTo("POST");
        assertThat(export.path()).isEqualTo("/v1/traces");
        assertThat(export.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(export.headers().getFirst("Api-Key")).isEqualTo("s3cret");
        assertThat(export.headers().getFirst("Content-Encoding")).isNull();
        assertThat(export.text()).contains("GET /api/products/{id}");
    }

    @Test
    void gzipWhenTheExporterAsksForIt() throws IOException {
        collector = Collector.answering(200);

        CompletableResultCode result = export(exporter().setCompression("gzip"));

        assertThat(result.isSuccess()).isTrue();
        Received export = collector.received.getFirst();
        assertThat(export.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
        try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(export.body()))) {
            assertThat(new String(unzipped.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .contains("GET /api/products/{id}");
        }
    }

    @Test
    void aCollectorThatIsBusyIsTriedAgainUntilItTakesTheExport() {
        collector = Collector.answering(503, 429, 200);

        CompletableResultCode result = export(exporter().setRetryPolicy(QUICK_RETRIES));

        assertThat(result.isSuccess()).isTrue();
        assertThat(collector.received).hasSize(3);
    }

    @Test
    void retriesStopAtThePolicysAttempts() {
        collector = Collector.answering(503, 503, 503, 200);

        CompletableResultCode result = export(exporter().setRetryPolicy(QUICK_RETRIES));

        assertThat(result.isSuccess()).isFalse();
        assertThat(collector.received).hasSize(3);
    }

    @Test
    void aRefusedExportFailsAndIsNotSentAgain() {
        collector = Collector.answering(400, 200);

        CompletableResultCode result = export(exporter().setRetryPolicy(QUICK_RETRIES));

        assertThat(result.isSuccess()).isFalse();
        assertThat(collector.received).hasSize(1);
    }

    @Test
    void aCollectorThatIsAwayFailsTheExportAfterItsRetries() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CompletableResultCode result = export(OtlpHttpSpanExporter.builder()
                                                      .setEndpoint("http://127.0.0.1:" + closedPort + "/v1/traces")
                                                      .setRetryPolicy(QUICK_RETRIES));

        assertThat(result.isDone()).isTrue();
        assertThat(result.isSuccess()).isFalse();
    }

    @Test
    void aCollectorThatNeverAnswersFailsTheExportAtTheTimeout() {
        collector = Collector.neverAnswering();
        long start = System.nanoTime();

        CompletableResultCode result = export(exporter().setTimeout(Duration.ofMillis(500)).setRetryPolicy(null));

        assertThat(result.isSuccess()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anHttpsCollectorIsReachedWithTheExportersTls(@TempDir Path dir) throws Exception {
        KeyStore keys = selfSigned(dir);
        collector = Collector.answeringOverTls(keys);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);

        CompletableResultCode result = export(exporter().setSslContext(tls, (X509TrustManager) trust.getTrustManagers()[0]));

        assertThat(collector.endpoint()).startsWith("https://");
        assertThat(result.isSuccess()).isTrue();
        assertThat(collector.received.getFirst().text()).contains("GET /api/products/{id}");
    }

    @Test
    void anHttpsCollectorTheJvmDoesNotTrustGetsNothing(@TempDir Path dir) throws Exception {
        collector = Collector.answeringOverTls(selfSigned(dir));

        CompletableResultCode result = export(exporter().setRetryPolicy(null));

        assertThat(result.isSuccess()).isFalse();
        assertThat(collector.received).isEmpty();
    }

    // a key pair for "localhost" and its self-signed certificate, made by the JDK's keytool
    private static KeyStore selfSigned(Path dir) throws Exception {
        Path file = dir.resolve("collector.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                                             "-genkeypair", "-alias", "collector", "-keyalg", "EC", "-dname", "CN=localhost",
                                             "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "1",
                                             "-storetype", "PKCS12", "-keystore", file.toString(),
                                             "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, "changeit".toCharArray());
        }
        return keys;
    }

    private OtlpHttpSpanExporterBuilder exporter() {
        return OtlpHttpSpanExporter.builder().setEndpoint(collector.endpoint());
    }

    private static CompletableResultCode export(OtlpHttpSpanExporterBuilder builder) {
        try (OtlpHttpSpanExporter exporter = builder.build()) {
            return exporter.export(List.of(span())).join(10, TimeUnit.SECONDS);
        }
    }

    private static SpanData span() {
        long now = System.currentTimeMillis() * 1_000_000;
        return TestSpanData.builder()
                .setName("GET /api/products/{id}")
                .setKind(SpanKind.SERVER)
                .setStartEpochNanos(now)
                .setEndEpochNanos(now + 1_000_000)
                .setHasEnded(true)
                .setStatus(StatusData.unset())
                .build();
    }

    private record Received(String method, String path, Headers headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    // answers the statuses it was given in turn, the last one ever after; or never answers at all
    private static final class Collector implements AutoCloseable {
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        private Collector(Queue<Integer> statuses, boolean answers) throws IOException {
            this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), statuses, answers);
        }

        private Collector(HttpServer server, Queue<Integer> statuses, boolean answers) {
            this.server = server;
            server.createContext("/", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                                              exchange.getRequestHeaders(), body.readAllBytes()));
                }
                if (!answers) {
                    return;
                }
                int status;
                synchronized (statuses) {
                    status = statuses.size() > 1 ? statuses.remove() : statuses.element();
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        static Collector answering(Integer... statuses) {
            try {
                return new Collector(new ArrayDeque<>(List.of(statuses)), true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Collector answeringOverTls(KeyStore keys) throws Exception {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new Collector(server, new ArrayDeque<>(List.of(200)), true);
        }

        static Collector neverAnswering() {
            try {
                return new Collector(new ArrayDeque<>(List.of(200)), false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String endpoint() {
            String scheme = server instanceof HttpsServer ? "https" : "http";
            return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
