package io.example.loadgen;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Steady shop traffic through the gateway, within its rate limits, for a live Kiali graph and a quick
 * health reading: {@code java -jar loadgen.jar --base http://localhost:8080 --duration 60s}.
 */
public final class Main {
    /** how long a SIGTERM waits for the final table (Kubernetes waits 30 s by default) */
    private static final Duration FINAL_TABLE = Duration.ofSeconds(25);

    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(LoadOptions.usage());
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.err.print(LoadOptions.usage());
            System.exit(2);
            return;
        }
        LoadRun run = new LoadRun(options, System.out, System.err);
        CountDownLatch finished = new CountDownLatch(1);
        // SIGTERM or Ctrl-C: end the run and let it print its final table before the JVM goes
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            run.stop();
            try {
                finished.await(FINAL_TABLE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int exitCode = run.execute();
        finished.countDown();
        System.exit(exitCode);
    }
}
