package io.example.commons.security;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.RawTokens;
import io.example.commons.testing.TestConfig;

import io.helidon.config.Config;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every claim the verifiers read, with every kind of JSON value in its place, on tokens signed by the
 * auth service's key and by a key nobody published: verifying never throws, and a claim of the wrong type
 * never yields a caller.
 */
class JwtClaimTypesPropertyTest {
    // claims the verifier relies on, with the JSON types they must have
    private static final Map<String, Set<Kind>> EXPECTED = Map.ofEntries(
            Map.entry("exp", Set.of(Kind.INTEGER)),
            Map.entry("nbf", Set.of(Kind.INTEGER)),
            Map.entry("iat", Set.of(Kind.INTEGER)),
            Map.entry("iss", Set.of(Kind.STRING)),
            Map.entry("aud", Set.of(Kind.STRING, Kind.STRING_ARRAY)),
            Map.entry("sub", Set.of(Kind.STRING)),
            Map.entry("roles", Set.of(Kind.STRING_ARRAY)),
            Map.entry("sid", Set.of(Kind.STRING)),
            Map.entry("client_id", Set.of(Kind.STRING)));

    enum Kind { STRING, INTEGER, FRACTION, HUGE, OBJECT, STRING_ARRAY, MIXED_ARRAY, NULL, BOOL }

    record Value(Kind kind, String json) {
    }

    private static FakeAuthServer auth;
    private static JwtVerifier verifier;
    private static final SigningKey STRANGER = SigningKey.generate();

    @BeforeContainer
    static void start() {
        auth = FakeAuthServer.start();
        Config config = TestConfig.of(Map.of("auth.service.url", auth.url()));
        verifier = JwtVerifier.create(JwksCache.create(config), config);
    }

    @AfterContainer
    static void stop() {
        auth.close();
    }

    @Property(tries = 400)
    void aClaimOfTheWrongTypeIsRejectedAndNothingThrows(@ForAll("claims") String claim, @ForAll("values") Value value) {
        String token = signed(auth.signer().key(), claim, value);

        Optional<AuthenticatedUser> user = verifier.verify(token);
        Optional<ServiceCaller> service = verifier.verifyService(token);

        if (EXPECTED.containsKey(claim) && !EXPECTED.get(claim).contains(value.kind())) {
            assertThat(user).as("%s = %s", claim, value.json()).isEmpty();
            assertThat(service).as("%s = %s", claim, value.json()).isEmpty();
        }
    }

    @Property(tries = 200)
    void aTokenSignedByAnUnknownKeyIsRejectedWhateverItsClaims(@ForAll("claims") String claim,
                                                               @ForAll("values") Value value) {
        String token = signed(STRANGER, claim, value);

        assertThat(verifier.verify(token)).isEmpty();
        assertThat(verifier.verifyService(token)).isEmpty();
    }

    @Provide
    Arbitrary<String> claims() {
        return Arbitraries.of("exp", "nbf", "iat", "iss", "aud", "sub", "email", "roles", "sid", "jti", "client_id",
                              "scope", "email_verified", "updated_at", "address");
    }

    @Provide
    Arbitrary<Value> values() {
        long now = Instant.now().getEpochSecond();
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> new Value(Kind.STRING, quoted(s))),
                Arbitraries.of(now, now + 600, now - 600, 0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE)
                        .map(n -> new Value(Kind.INTEGER, Long.toString(n))),
                Arbitraries.of(now + 0.5, 1.5, -0.25, now + 600.999)
                        .map(n -> new Value(Kind.FRACTION, Double.toString(n))),
                Arbitraries.of("1e30", "9".repeat(40), "1e1000000000", "-1e1000000000", "1E400", "1e-1000000000")
                        .map(n -> new Value(Kind.HUGE, n)),
                Arbitraries.of("{}", "{\"exp\":1}", "{\"a\":[null]}").map(o -> new Value(Kind.OBJECT, o)),
                Arbitraries.of("[]", "[\"USER\"]", "[\"ADMIN\",\"USER\"]").map(a -> new Value(Kind.STRING_ARRAY, a)),
                Arbitraries.of("[1]", "[null]", "[{}]", "[\"ADMIN\",1]", "[[\"ADMIN\"]]").map(a -> new Value(Kind.MIXED_ARRAY, a)),
                Arbitraries.just(new Value(Kind.NULL, "null")),
                Arbitraries.of("true", "false").map(b -> new Value(Kind.BOOL, b)));
    }

    // a token of the auth service's shape, with one claim replaced (or added) as raw JSON
    private static String signed(SigningKey key, String claim, Value value) {
        Map<String, String> claims = RawTokens.accessTokenClaims(FakeAuthServer.ISSUER, FakeAuthServer.AUDIENCE,
                                                                 Instant.now().getEpochSecond());
        claims.put(claim, value.json());
        return RawTokens.sign(key, claims);
    }

    private static String quoted(String text) {
        return RawTokens.quoted(text);
    }
}
