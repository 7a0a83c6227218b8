package io.example.commons.observe;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes the one-line-per-request access log to standard output from a background thread, in batches.
 * Writing and flushing each line on the request's own thread cost the gateway about a fifth of its
 * throughput; here a request only queues its log record. When the queue is full the line is written by the
 * caller, so nothing is dropped. Configured in logging.properties for the {@code access} logger only.
 */
public final class AccessLogHandler extends Handler {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final BlockingQueue<LogRecord> records = new ArrayBlockingQueue<>(65_536);
    private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);

    /**
     * Start the writer thread (a daemon: it never keeps the process alive).
     */
    public AccessLogHandler() {
        Thread.ofPlatform().daemon().name("access-log").start(this::drain);
        Runtime.getRuntime().addShutdownHook(new Thread(this::flush));
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        // formatted on the writer thread: the request thread only queues the record
        if (!records.offer(record)) {
            write(List.of(record));
        }
    }

    @Override
    public void flush() {
        List<LogRecord> rest = new ArrayList<>();
        records.drainTo(rest);
        write(rest);
    }

    @Override
    public void close() {
        flush();
    }

    private void drain() {
        List<LogRecord> batch = new ArrayList<>(1024);
        while (true) {
            try {
                batch.add(records.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            records.drainTo(batch, 1023);
            write(batch);
            batch.clear();
        }
    }

    private synchronized void write(List<LogRecord> batch) {
        try {
            for (LogRecord record : batch) {
                out.write(line(record).getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (IOException e) {
            reportError("access log write failed", e, java.util.logging.ErrorManager.WRITE_FAILURE);
        }
    }

    private static String line(LogRecord record) {
        return TIME.format(Instant.ofEpochMilli(record.getMillis())) + " " + record.getLevel().getName() + " "
                + record.getLoggerName() + " - " + record.getMessage() + System.lineSeparator();
    }
}
