package io.example.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's per-request rate-limit decision (in the limiter's package: its decisions are package-private):
 * one hot client, and many distinct clients (bucket lookup and creation in the bounded cache).
 */
// every benchmark states its JMH run settings itself, so each class reads alone and runs alone with -Pbench
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class RateLimiterBenchmark {
    private RateLimiter limiter;

    @Setup
    public void setUp() {
        // limits high enough never to refuse: the cost measured is the decision, not a 429
        limiter = new RateLimiter(1_000_000_000L, 1_000_000_000L, Duration.ofSeconds(1), 100_000);
    }

    @Benchmark
    public RateLimiter.Decision oneClient() {
        return limiter.tryConsume("user-1");
    }

    @Benchmark
    public RateLimiter.Decision manyClients() {
        return limiter.tryConsume("10.0.0." + ThreadLocalRandom.current().nextInt(50_000));
    }
}
