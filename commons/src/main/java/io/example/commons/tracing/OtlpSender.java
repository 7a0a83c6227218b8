package io.example.commons.tracing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;

/**
 * Carries the OTLP exporter's requests ({@code http/protobuf}) over Helidon's HTTP/1.1 client, the one every
 * service already runs for its calls, in place of the JDK's asynchronous client that the SDK's own sender uses.
 * That client spent milliseconds of CPU on each export; side by side with it, both at tracing's 10%, reads from
 * the gateway's cache ran 1.07x with this sender at 0.91x the CPU (docs/performance.md). The SDK finds it through
 * {@code META-INF/services}, as the only sender on the class path.
 *
 * <p>It keeps the SDK's sender's contract: the content type, compression and headers the exporter asks for, its
 * connect timeout and its timeout (as the read timeout), TLS for an {@code https} endpoint (with the exporter's
 * {@code SSLContext} when it has one, else the JVM's trusted authorities), and its retry policy: a 429, 502, 503
 * or 504, or a connection refused or timed out, is tried again after a backoff with jitter, up to the policy's
 * attempts. A proxy is not supported: the exporter's variables never set one, and a service reaches its collector
 * directly (in the mesh, through its sidecar).
 */
public final class OtlpSender implements HttpSenderProvider {
    private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);

    @Override
    public HttpSender createSender(HttpSenderConfig config) {
        if (config.getProxyOptions() != null) {
            throw new IllegalArgumentException("an OTLP exporter through a proxy is not supported");
        }
        return new Sender(config);
    }

    private static final class Sender implements HttpSender {
        private final HttpSenderConfig config;
        private final Http1Client client;

        private Sender(HttpSenderConfig config) {
            this.config = config;
            // not ServiceClients: an export is no call on a request's behalf, so it carries no trace headers
            // and makes no span (which would be exported in turn)
            var builder = Http1Client.builder()
                    .connectTimeout(config.getConnectTimeout())
                    .readTimeout(config.getTimeout())
                    .followRedirects(false)
                    // its own connections: Helidon closes the cache it shares between clients when the JVM begins
                    // to stop, before the SDK's shutdown hook exports the spans still held
                    .shareConnectionCache(false)
                    .proxy(Proxy.noProxy())
                    .socketOptions(SocketOptions.builder().tcpNoDelay(true).build());
            if ("https".equalsIgnoreCase(config.getEndpoint().getScheme()) && config.getSslContext() != null) {
                builder.tls(Tls.builder().sslContext(config.getSslContext()).build());
            }
            this.client = builder.build();
        }

        // on the caller's thread, the batch processor's worker (or the thread that flushes at shutdown), which does
        // nothing else while it waits for the export's result
        @Override
        public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
            Answer answer;
            try {
                answer = sendWithRetries(encode(message, config.getCompressor()));
            } catch (IOException | RuntimeException e) {
                onError.accept(e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                onError.accept(e);
                return;
            }
            onResponse.accept(answer);
        }

        private Answer sendWithRetries(byte[] body) throws IOException, InterruptedException {
            RetryPolicy retries = config.getRetryPolicy();
            int attempts = retries == null ? 1 : retries.getMaxAttempts();
            long backoff = retries == null ? 0 : retries.getInitialBackoff().toNanos();
            for (int attempt = 1; ; attempt++) {
                boolean last = attempt >= attempts;
                try {
                    Answer answer = post(body);
                    if (last || !RETRYABLE.contains(answer.getStatusCode())) {
                        return answer;
                    }
                } catch (UncheckedIOException e) {
                    if (last || !retryable(e.getCause(), retries)) {
                        throw e.getCause();
                    }
                }
                // the SDK's jitter: between 0.8 and 1.2 times the backoff, which grows up to its maximum
                Thread.sleep(Duration.ofNanos((long) (backoff * ThreadLocalRandom.current().nextDouble(0.8, 1.2))));
                backoff = Math.min((long) (backoff * retries.getBackoffMultiplier()), retries.getMaxBackoff().toNanos());
            }
        }

        private static boolean retryable(IOException e, RetryPolicy retries) {
            if (retries.getRetryExceptionPredicate() != null) {
                return retries.getRetryExceptionPredicate().test(e);
            }
            return e instanceof ConnectException || e instanceof SocketTimeoutException;
        }

        private Answer post(byte[] body) {
            Http1ClientRequest request = client.post()
                    .uri(config.getEndpoint())
                    .header(HeaderNames.CONTENT_TYPE, config.getContentType());
            if (config.getCompressor() != null) {
                request.header(HeaderNames.CONTENT_ENCODING, config.getCompressor().getEncoding());
            }
            Map<String, List<String>> headers = config.getHeadersSupplier().get();
            if (headers != null) {
                headers.forEach((name, values) -> request.header(HeaderNames.create(name), values));
            }
            try (HttpClientResponse response = request.submit(body)) {
                return new Answer(response.status().code(), response.status().reasonPhrase(),
                                  read(response.inputStream(), config.getMaxResponseBodySize()));
            }
        }

        private static byte[] encode(MessageWriter message, Compressor compressor) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.getContentLength());
            if (compressor == null) {
                message.writeMessage(bytes);
            } else {
                try (OutputStream compressed = compressor.compress(bytes)) {
                    message.writeMessage(compressed);
                }
            }
            return bytes.toByteArray();
        }

        // a collector's answer is small (a partial success, an error's status); more than the limit is not read
        private static byte[] read(InputStream body, long limit) {
            try (body) {
                return body.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public CompletableResultCode shutdown() {
            client.closeResource();
            return CompletableResultCode.ofSuccess();
        }
    }

    private record Answer(int statusCode, String statusMessage, byte[] responseBody) implements HttpResponse {
        @Override
        public int getStatusCode() {
            return statusCode;
        }

        @Override
        public String getStatusMessage() {
            return statusMessage;
        }

        @Override
        public byte[] getResponseBody() {
            return responseBody;
        }
    }
}
