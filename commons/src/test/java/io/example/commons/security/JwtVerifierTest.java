package io.example.commons.security;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.tracing.RequestInfo;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier every service uses, against a real JWKS endpoint and real signatures, fed the forgeries
 * an attacker would try.
 */
class JwtVerifierTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private FakeAuthServer auth;
    private JwtVerifier verifier;

    @BeforeEach
    void start() {
        auth = FakeAuthServer.start();
        verifier = verifier(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        auth.close();
    }

    @Test
    void validTokenYieldsTheUser() {
        var user = verifier.verify(auth.token("user-1", "USER", "ADMIN"));

        assertThat(user).hasValueSatisfying(u -> {
            assertThat(u.id()).isEqualTo("user-1");
            assertThat(u.email()).isEqualTo("user-1@example.com");
            assertThat(u.roles()).containsExactlyInAnyOrder("USER", "ADMIN");
        });
    }

    @Test
    void tamperedPayloadIsRejected() {
        assertThat(verifier.verify(withUserMadeAdmin(auth.token("user-1", "USER")))).isEmpty();
    }

    @Test
    void aTamperedCopyOfATokenAlreadyVerifiedIsRejected() {
        String token = auth.token("user-1", "USER");
        String forged = withUserMadeAdmin(token);

        assertThat(verifier.verify(token)).isPresent();
        // verified tokens are remembered by their digest: the same signature over another payload is not the same
        assertThat(verifier.verify(forged)).isEmpty();
        assertThat(verifier.verify(token)).hasValueSatisfying(u -> assertThat(u.roles()).containsExactly("USER"));
    }

    @Test
    void tokensVerifiedAtOnceEachYieldTheirOwnUser() throws Exception {
        List<String> tokens = IntStream.range(0, 64).mapToObj(i -> auth.token("user-" + i, "USER")).toList();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 5; round++) {
                List<Future<String>> ids = tokens.stream()
                        .map(token -> threads.submit(() -> verifier.verify(token).orElseThrow().id()))
                        .toList();
                for (int i = 0; i < ids.size(); i++) {
                    assertThat(ids.get(i).get()).isEqualTo("user-" + i);
                }
            }
        }
    }

    @Test
    void algNoneIsRejected() {
        String header = json(Map.of("alg", "none", "kid", auth.signer().key().kid(), "typ", "JWT"));
        String token = header + "." + validPayload() + ".";

        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void hmacSignedWithThePublicKeyIsRejected() throws Exception {
        String header = json(Map.of("alg", "HS256", "kid", auth.signer().key().kid(), "typ", "JWT"));
        String signingInput = header + "." + validPayload();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(auth.signer().key().publicKey().getEncoded(), "HmacSHA256"));
        String token = signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));

        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void tokenSignedByAnotherKeyUnderAKnownKidIsRejected() throws Exception {
        SigningKey attacker = SigningKey.generate();
        String header = json(Map.of("alg", "ES256", "kid", auth.signer().key().kid(), "typ", "JWT"));
        String signingInput = header + "." + validPayload();
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initSign(attacker.privateKey());
        ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String token = signingInput + "." + B64.encodeToString(ecdsa.sign());

        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void expiredBeyondTheSkewIsRejected() {
        String token = signed(builder -> builder.expirationTime(Instant.now().minusSeconds(61 + 5)));

        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void expiredWithinTheSkewIsAccepted() {
        String token = signed(builder -> builder.expirationTime(Instant.now().minusSeconds(30)));

        assertThat(verifier.verify(token)).isPresent();
    }

    @Test
    void notBeforeInTheFutureIsRejected() {
        String token = signed(builder -> builder.notBefore(Instant.now().plusSeconds(120)));

        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void wrongAudienceIsRejected() {
        String token = new JwtSigner(auth.signer().key(), FakeAuthServer.ISSUER, "another-audience")
                .sign("user-1", "u@example.com", Set.of("USER"), Instant.now(), Duration.ofMinutes(5));

        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void wrongIssuerIsRejected() {
        String token = new JwtSigner(auth.signer().key(), "http://evil", FakeAuthServer.AUDIENCE)
                .sign("user-1", "u@example.com", Set.of("USER"), Instant.now(), Duration.ofMinutes(5));

        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void garbageIsRejected() {
        assertThat(verifier.verify("not-a-jwt")).isEmpty();
        assertThat(verifier.verify("a.b.c")).isEmpty();
        assertThat(verifier.verify("")).isEmpty();
    }

    @Test
    void unknownKidsReReadTheJwksAtMostOncePerInterval() throws Exception {
        verifier.verify(auth.token("user-1", "USER"));
        int before = auth.jwksRequests();

        for (int i = 0; i < 50; i++) {
            SigningKey stranger = SigningKey.generate();
            String token = new JwtSigner(stranger, FakeAuthServer.ISSUER, FakeAuthServer.AUDIENCE)
                    .sign("user-" + i, "u@example.com", Set.of("USER"), Instant.now(), Duration.ofMinutes(5));
            assertThat(verifier.verify(token)).isEmpty();
        }

        assertThat(auth.jwksRequests() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void requestsThatWaitedForTheFirstJwksFetchAreAccepted() throws Exception {
        auth.slowJwks(Duration.ofMillis(300));
        String token = auth.token("user-1", "USER");
        List<Callable<Boolean>> burst = Collections.nCopies(16, () -> verifier.verify(token).isPresent());

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Boolean> accepted : threads.invokeAll(burst)) {
                assertThat(accepted.get()).isTrue();
            }
        }
        assertThat(auth.jwksRequests()).isEqualTo(1);
    }

    @Test
    void theJwksFetchDoesNotCarryTheIdOfTheRequestThatTriggeredIt() {
        Context request = Context.create();
        request.register(new RequestInfo("rid-of-one-request",
                                         List.of(HeaderValues.create(HeaderNames.create("X-Request-Id"), "rid-of-one-request")),
                                         Span.getInvalid()));

        boolean accepted = Contexts.runInContext(request, () -> verifier.verify(auth.token("user-1", "USER")).isPresent());

        assertThat(accepted).isTrue();
        assertThat(auth.jwksRequests()).isEqualTo(1);
        assertThat(auth.jwksRequestIds()).isEmpty();
    }

    @Test
    void rotatedKeyIsFetchedAndOldTokensStillVerify() {
        verifier = verifier(Duration.ZERO);
        String oldToken = auth.token("user-1", "USER");
        assertThat(verifier.verify(oldToken)).isPresent();

        auth.rotate();
        String newToken = auth.token("user-2", "USER");

        assertThat(verifier.verify(newToken)).isPresent();
        assertThat(verifier.verify(oldToken)).isPresent();
    }

    private JwtVerifier verifier(Duration minRefresh) {
        Config config = TestConfig.of(Map.of("auth.service.url", auth.url(),
                                             "jwt.jwks-min-refresh", minRefresh.toString()));
        return JwtVerifier.create(JwksCache.create(config), config);
    }

    private String signed(Consumer<Jwt.Builder> change) {
        Instant now = Instant.now();
        Jwt.Builder builder = Jwt.builder()
                .algorithm("ES256")
                .keyId(auth.signer().key().kid())
                .issuer(FakeAuthServer.ISSUER)
                .addAudience(FakeAuthServer.AUDIENCE)
                .subject("user-1")
                .addPayloadClaim("roles", List.of("USER"))
                .issueTime(now.minusSeconds(600))
                .expirationTime(now.plusSeconds(600));
        change.accept(builder);
        return SignedJwt.sign(builder.build(), auth.signer().key().toJwk()).tokenContent();
    }

    private String validPayload() {
        long now = Clock.systemUTC().instant().getEpochSecond();
        return B64.encodeToString(("{\"iss\":\"" + FakeAuthServer.ISSUER + "\",\"aud\":\"" + FakeAuthServer.AUDIENCE
                + "\",\"sub\":\"user-1\",\"roles\":[\"ADMIN\"],\"iat\":" + now + ",\"exp\":" + (now + 600) + "}")
                                          .getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Map<String, String> header) {
        StringBuilder sb = new StringBuilder("{");
        header.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
        return B64.encodeToString(sb.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }

    // the token with its role USER rewritten to ADMIN and its signature kept
    private static String withUserMadeAdmin(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"USER\"", "\"ADMIN\"");
        return parts[0] + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
