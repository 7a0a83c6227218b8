package io.example.gateway.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * One token bucket per client key (Bucket4j), kept in a bounded Caffeine cache: a bucket idle longer than
 * it takes to refill completely is as good as a new one, so idle buckets expire, and a flood of distinct
 * clients evicts the oldest instead of exhausting the heap.
 */
public final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * The outcome of one request against a limit, and what the {@code RateLimit-*} headers say.
     *
     * @param allowed           whether the request may go on
     * @param limit             the bucket's capacity ({@code RateLimit-Limit})
     * @param remaining         tokens left ({@code RateLimit-Remaining})
     * @param resetSeconds      seconds until the bucket is full again ({@code RateLimit-Reset})
     * @param retryAfterSeconds when refused, seconds until one request is allowed ({@code Retry-After})
     */
    record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private final long capacity;
    private final long refillTokens;
    private final Duration refillPeriod;
    private final Cache<String, Bucket> buckets;

    /**
     * @param capacity     burst size
     * @param refillTokens tokens added per period (greedily, spread over the period)
     * @param refillPeriod the period
     * @param maxClients   most buckets kept at once
     */
    public RateLimiter(long capacity, long refillTokens, Duration refillPeriod, long maxClients) {
        if (capacity < 1 || refillTokens < 1) {
            throw new IllegalArgumentException("rate limits must be at least 1");
        }
        this.capacity = capacity;
        this.refillTokens = refillTokens;
        this.refillPeriod = refillPeriod;
        Duration fullRefill = refillPeriod.multipliedBy(capacity).dividedBy(refillTokens);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfterAccess(fullRefill.plusSeconds(1))
                // the cache's upkeep (every few reads) runs on the request's thread: handing it to the common
                // pool woke another thread several hundred times a second under load
                .executor(Runnable::run)
                .build();
    }

    /**
     * Take one token for a client.
     *
     * @param key client key
     * @return the decision
     */
    Decision tryConsume(String key) {
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, capacity, probe.getRemainingTokens(), seconds(probe.getNanosToWaitForReset()), 0);
        }
        return new Decision(false, capacity, 0, seconds(probe.getNanosToWaitForReset()),
                            Math.max(1, seconds(probe.getNanosToWaitForRefill())));
    }

    /**
     * The state of a client's bucket, without taking a token (for requests that are not limited).
     *
     * @param key client key
     * @return the decision, always allowed
     */
    Decision peek(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        long available = bucket == null ? capacity : bucket.getAvailableTokens();
        long missing = capacity - available;
        long resetNanos = missing * refillPeriod.toNanos() / refillTokens;
        return new Decision(true, capacity, available, seconds(resetNanos), 0);
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(refillTokens, refillPeriod).build())
                .build());
    }

    private static long seconds(long nanos) {
        return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }
}
