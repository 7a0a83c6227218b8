package io.example.auth.passwords;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.tracing.BusinessSpans;

import io.opentelemetry.api.common.Attributes;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes as PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), with the
 * OWASP parameters by default. The parameters travel in the string, so they can be raised later
 * without invalidating stored hashes. Every derivation (a hash, a check, a dummy check) is a {@code hash password}
 * span of the request's trace.
 */
public final class Argon2PasswordHasher {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();
    // Each hash works through memoryKiB of 1 KiB blocks and keeps a core busy. At most one hash per core runs
    // at a time (more only add memory: a burst of logins could exhaust the heap), and the blocks are reused
    // from a pool that holds that many hashes' worth: without it every login allocated 19 MiB, which the
    // young generation could not hold while the hash ran, and the collector copied and promoted it.
    private final int concurrentHashes;
    private final Semaphore hashing;
    private final Argon2BytesGenerator.BlockPool blocks;
    private final String dummyHash;

    /**
     * @param memoryKiB   memory cost in KiB (OWASP: 19456)
     * @param iterations  time cost (OWASP: 2)
     * @param parallelism lanes (OWASP: 1)
     */
    public Argon2PasswordHasher(int memoryKiB, int iterations, int parallelism) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.concurrentHashes = concurrentHashes(Runtime.getRuntime().availableProcessors(),
                                                 Runtime.getRuntime().maxMemory(), memoryKiB);
        this.hashing = new Semaphore(concurrentHashes, true);
        this.blocks = new Argon2BytesGenerator.FixedBlockPool(
                concurrentHashes * Argon2BytesGenerator.getBlockCount(memoryKiB, parallelism));
        this.dummyHash = randomPhc();
    }

    /**
     * How many hashes may run at once: one per core, and never more than half the heap's worth of Argon2
     * memory, which the pool keeps. The heap is sized for the service (jvm.options), the core count is the
     * machine's when a container has no CPU limit: 16 cores must not mean 304 MiB of blocks in a 96 MiB heap.
     *
     * @param cores        available processors
     * @param maxHeapBytes the heap's maximum size
     * @param memoryKiB    memory cost of one hash
     * @return at least 1
     */
    static int concurrentHashes(int cores, long maxHeapBytes, int memoryKiB) {
        long fitInHalfTheHeap = maxHeapBytes / 2 / (memoryKiB * 1024L);
        return (int) Math.max(1, Math.min(cores, fitInHalfTheHeap));
    }

    /**
     * @return a hasher with OWASP's minimum recommendation for Argon2id (19 MiB, 2 iterations, 1 lane)
     */
    public static Argon2PasswordHasher owasp() {
        return new Argon2PasswordHasher(19456, 2, 1);
    }

    /**
     * @param password plain password
     * @return PHC string with a fresh 16-byte salt
     */
    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return phc(salt, boundedDerive(password, salt, memoryKiB, iterations, parallelism, 32));
    }

    /**
     * Constant-time check of a password against a stored PHC string.
     *
     * @param password plain password
     * @param phc      stored hash
     * @return whether they match
     */
    public boolean matches(String password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        byte[] salt = B64_DECODER.decode(m.group(4));
        byte[] expected = B64_DECODER.decode(m.group(5));
        byte[] actual = boundedDerive(password, salt, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                               Integer.parseInt(m.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Spend the same time as a real check, for a user that does not exist, so that response times do not
     * tell which emails are registered.
     *
     * @param password the password that was sent
     */
    public void matchDummy(String password) {
        matches(password, dummyHash);
    }

    // A PHC string with these parameters, a random salt and a random "hash" that no password derives to:
    // checking against it costs exactly what a real check costs, without hashing anything at start-up.
    private String randomPhc() {
        byte[] salt = new byte[16];
        byte[] hash = new byte[32];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return phc(salt, hash);
    }

    private String phc(byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    // the PHC string matchDummy checks against
    String dummyHash() {
        return dummyHash;
    }

    // the span includes the wait for a free core: under a burst of logins that is where the time goes
    private byte[] boundedDerive(String password, byte[] salt, int memoryKiB, int iterations, int parallelism,
                                 int length) {
        return BusinessSpans.run("hash password", Attributes.empty(), () -> {
            hashing.acquireUninterruptibly();
            try {
                return derive(password, salt, memoryKiB, iterations, parallelism, length);
            } finally {
                hashing.release();
            }
        });
    }

    private byte[] derive(String password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .withBlockPool(blocks)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
