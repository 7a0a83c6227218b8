package io.example.commons.observe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log writes every record exactly once, in the order each thread logged them, whether the
 * writer thread, a flush or (when the queue is full) the logging thread itself writes it.
 */
class AccessLogHandlerTest {
    private static final Duration NEVER = Duration.ofHours(1);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void recordsFromManyThreadsAreWrittenOnceEachInTheirOrder() throws Exception {
        AccessLogHandler handler = new AccessLogHandler(out, Duration.ofMillis(5));
        int threads = 8;
        int perThread = 2_000;
        List<Thread> loggers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            loggers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    handler.publish(record("t" + thread + " " + i));
                }
            }));
        }
        for (Thread logger : loggers) {
            logger.join();
        }

        Instant deadline = Instant.now().plusSeconds(10);
        while (lines().size() < threads * perThread && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        handler.close();

        List<String> lines = lines();
        assertThat(lines).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            String prefix = " - t" + t + " ";
            List<Integer> order = lines.stream().filter(line -> line.contains(prefix))
                    .map(line -> Integer.parseInt(line.substring(line.indexOf(prefix) + prefix.length())))
                    .toList();
            assertThat(order).hasSize(perThread).isSorted();
        }
    }

    @Test
    void flushWritesWhatIsQueuedInOrderAndInTheLogFormat() {
        AccessLogHandler handler = new AccessLogHandler(out, NEVER);
        handler.publish(record("GET /api/products 200 3ms rid=a"));
        handler.publish(record("GET /api/orders 401 1ms rid=b"));
        assertThat(lines()).isEmpty();

        handler.flush();

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO access - "
                                                   + "GET /api/products 200 3ms rid=a");
        assertThat(lines().get(1)).endsWith("INFO access - GET /api/orders 401 1ms rid=b");
        handler.close();
    }

    @Test
    void whenTheQueueIsFullTheCallerWritesItsOwnLineAndNothingIsDropped() {
        AccessLogHandler handler = new AccessLogHandler(out, NEVER);
        for (int i = 0; i < AccessLogHandler.CAPACITY; i++) {
            handler.publish(record("queued " + i));
        }
        handler.publish(record("overflow 1"));
        handler.publish(record("overflow 2"));

        assertThat(lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains(" - overflow "));

        handler.close();
        List<String> lines = lines();
        assertThat(lines).hasSize(AccessLogHandler.CAPACITY + 2);
        assertThat(lines.get(2)).endsWith(" - queued 0");
        assertThat(lines.getLast()).endsWith(" - queued " + (AccessLogHandler.CAPACITY - 1));
    }

    @Test
    void recordsBelowTheHandlersLevelAreNotWritten() {
        AccessLogHandler handler = new AccessLogHandler(out, NEVER);
        handler.setLevel(Level.WARNING);

        handler.publish(record("not wanted"));
        handler.flush();

        assertThat(lines()).isEmpty();
        handler.close();
    }

    private List<String> lines() {
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
    }

    private static LogRecord record(String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("access");
        return record;
    }
}
