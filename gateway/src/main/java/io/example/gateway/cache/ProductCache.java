package io.example.gateway.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.gateway.proxy.BackendAnswer;
import io.example.gateway.proxy.RequestTarget;

import io.helidon.common.uri.UriEncoding;
import io.helidon.http.Status;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The gateway's cache of public product reads, keyed by path and query (as {@link RequestTarget} gives them).
 *
 * <p>Only 200 answers are kept, for a fixed time after they were loaded and within a byte budget. Concurrent
 * misses for one key make one backend call: the first caller loads on its own thread (so the request's
 * trace headers go with the call) while the others wait for its future and share a 200; an error answer names
 * the request that loaded it, so a waiter that gets one asks for its own. A load that was under way when
 * entries were invalidated (by a write through this gateway or a product event) is not kept, so a change can
 * never be undone by a read that raced it.
 */
public final class ProductCache {
    /**
     * A backend answer as served from the cache, or the failure of a load (never kept, only handed to the
     * callers that waited for it).
     *
     * @param answer      what the backend answered; null for a failure
     * @param etag        strong entity tag of the body (quoted)
     * @param loadedNanos {@link System#nanoTime()} when it was loaded
     * @param failure     why the load failed, or null
     */
    record Entry(BackendAnswer answer, String etag, long loadedNanos, ProblemException failure) {
        long ageSeconds() {
            return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - loadedNanos);
        }
    }

    /**
     * @param entry the entry
     * @param hit   whether it came without a backend call of this request's own
     */
    record Lookup(Entry entry, boolean hit) {
    }

    private final AsyncCache<String, Entry> cache;
    private final Duration ttl;
    private final Duration maxWait;
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param ttl      how long an answer is served (positive)
     * @param maxBytes budget for keys and bodies
     * @param maxWait  longest a caller waits for another caller's load (beyond the backend's read timeout)
     */
    public ProductCache(Duration ttl, long maxBytes, Duration maxWait) {
        this.ttl = ttl;
        this.maxWait = maxWait;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumWeight(maxBytes)
                .weigher((String key, Entry entry) -> key.length() + 64
                        + (entry.answer() == null ? 0 : entry.answer().body().length))
                .buildAsync();
    }

    /**
     * @return how long answers are served
     */
    Duration ttl() {
        return ttl;
    }

    /**
     * The cached answer for a key, or the one loaded now (by this caller or a concurrent one).
     *
     * @param key    path and query
     * @param loader the backend call; throws a {@link ProblemException} when the backend fails
     * @return the entry and whether it was a hit
     */
    Lookup get(String key, Supplier<BackendAnswer> loader) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> existing = cache.asMap().putIfAbsent(key, mine);
        if (existing != null) {
            Entry entry = await(existing);
            if (entry.answer().status() == 200) {
                return new Lookup(entry, true);
            }
            // an error answer is a problem naming the request that loaded it (its requestId and traceId): this
            // request asks for its own
            BackendAnswer own = loader.get();
            return new Lookup(new Entry(own, etag(own.body()), System.nanoTime(), null), false);
        }
        long loadGeneration = generation.get();
        BackendAnswer answer;
        try {
            answer = loader.get();
        } catch (RuntimeException e) {
            // completed normally with the failure: a failed future would make Caffeine log a warning per outage
            cache.asMap().remove(key, mine);
            mine.complete(new Entry(null, null, 0, e instanceof ProblemException problem ? problem
                    : new ProblemException(ErrorHandling.toProblem(e))));
            throw e;
        }
        Entry entry = new Entry(answer, etag(answer.body()), System.nanoTime(), null);
        mine.complete(entry);
        if (answer.status() != 200 || generation.get() != loadGeneration) {
            cache.asMap().remove(key, mine);
        }
        return new Lookup(entry, false);
    }

    /**
     * A product was created, changed or deleted, or its stock moved: drop its own read and every list page.
     * A list page's contents depend on its filters, sort and offset, so any product's change can move it onto
     * or off any page, or shift a page; working out which pages could show it is not worth it, and a list is
     * loaded again on its next read.
     *
     * @param id the product's id, decoded
     */
    void invalidateProduct(String id) {
        String own = ProductReads.ONE + id;
        invalidate(path -> isList(path) || path.equals(own));
    }

    /**
     * A product whose id is not known yet was created: drop every list page.
     */
    void invalidateLists() {
        invalidate(ProductCache::isList);
    }

    /**
     * Drop everything (e.g. after an order changed stock, or product events may have been missed).
     */
    void invalidateAll() {
        removeWhere(key -> true);
    }

    private void invalidate(Predicate<String> stalePath) {
        removeWhere(key -> stalePath.test(decodedPathOf(key)));
    }

    private static boolean isList(String path) {
        return path.equals(ProductReads.LIST) || path.equals(ProductReads.CATEGORIES);
    }

    private void removeWhere(Predicate<String> stale) {
        generation.incrementAndGet();
        cache.asMap().keySet().removeIf(stale);
    }

    private Entry await(CompletableFuture<Entry> load) {
        Entry entry;
        try {
            entry = load.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw ProblemException.of(Status.BAD_GATEWAY_502, "product-service could not be read.");
        } catch (TimeoutException e) {
            throw new ProblemException(Problem.typed("backend-timeout", "Backend timeout", Status.GATEWAY_TIMEOUT_504,
                                                     "product-service did not answer in time."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.of(Status.SERVICE_UNAVAILABLE_503, "The gateway is shutting down.");
        }
        if (entry.failure() != null) {
            // a fresh exception: the shared one must not collect this request's headers
            ProblemException copy = new ProblemException(entry.failure().problem());
            entry.failure().headers().forEach(copy::withHeader);
            throw copy;
        }
        return entry;
    }

    // decoded as the product service (a Helidon server too) decodes the path it receives, so the id a key
    // names is the id the product service read
    private static String decodedPathOf(String key) {
        int query = key.indexOf('?');
        return UriEncoding.decodeUri(query < 0 ? key : key.substring(0, query));
    }

    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            // If-None-Match uses the weak comparison (RFC 9110 section 13.1.2)
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
