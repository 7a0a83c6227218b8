package io.example.commons.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.example.commons.client.ServiceClients;
import io.example.commons.http.ProblemException;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;

import io.helidon.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The verifier's revocation list and the service-token source, against a real (fake) auth service over
 * HTTP, including what happens when it goes away.
 */
class RevocationAndServiceTokensTest {
    private FakeAuthServer auth;

    @BeforeEach
    void start() {
        auth = FakeAuthServer.start();
    }

    @AfterEach
    void stop() {
        auth.close();
    }

    @Test
    void aRevokedSessionIsRejectedEvenAfterItsTokenWasCachedAndOtherSessionsAreNot() {
        JwtVerifier verifier = verifier(Duration.ofMillis(50));
        String revoked = auth.sessionToken("user-1", "session-a", "USER");
        String kept = auth.sessionToken("user-1", "session-b", "USER");
        assertThat(verifier.verify(revoked)).isPresent();

        auth.revoke("session-a");

        assertThat(eventuallyEmpty(verifier, revoked)).isTrue();
        assertThat(verifier.verify(kept)).isPresent();
    }

    @Test
    void whenTheAuthServiceIsGoneTheLastListIsKept() {
        RevokedSessions sessions = RevokedSessions.polling(new HttpRevocationSource(
                ServiceClients.create(auth.url(), Duration.ofSeconds(2), Duration.ofSeconds(2))), Duration.ofDays(1),
                                                           Clock.systemUTC());
        auth.revoke("session-a");
        assertThat(sessions.refresh()).isTrue();

        auth.close();

        assertThat(sessions.refresh()).isFalse();
        assertThat(sessions.isRevoked("session-a")).isTrue();
        assertThat(sessions.isRevoked("session-b")).isFalse();
    }

    @Test
    void aVerifierThatHasNeverReadTheRevocationsAcceptsNoTokenUntilItHas() {
        AtomicBoolean reachable = new AtomicBoolean(false);
        RevocationSource revocations = cursor -> {
            if (!reachable.get()) {
                throw new IllegalStateException("auth-service unreachable");
            }
            return new RevocationFeed("c1", List.of());
        };
        Config config = TestConfig.of(Map.of("auth.service.url", auth.url(),
                                             "jwt.revocation.poll.interval", "PT0.05S"));
        JwtVerifier verifier = JwtVerifier.create(JwksCache.create(config), config, revocations);
        String token = auth.sessionToken("user-1", "session-a", "USER");

        assertThat(verifier.verify(token)).isEmpty();
        assertThat(verifier.ready()).isFalse();

        reachable.set(true);

        assertThat(eventuallyPresent(verifier, token)).isTrue();
        assertThat(verifier.ready()).isTrue();
    }

    @Test
    void aListNeverReadIsAskedForAgainWithinASecondNotAfterAWholeInterval() throws InterruptedException {
        AtomicBoolean reachable = new AtomicBoolean(false);
        RevokedSessions sessions = RevokedSessions.polling(cursor -> {
            if (!reachable.get()) {
                throw new IllegalStateException("auth-service not started yet");
            }
            return new RevocationFeed("c1", List.of());
        }, Duration.ofDays(1), Clock.systemUTC());
        assertThat(sessions.loaded()).isFalse();

        reachable.set(true);
        Instant deadline = Instant.now().plusSeconds(2);
        while (!sessions.loaded() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }

        assertThat(sessions.loaded()).isTrue();
    }

    @Test
    void anEntryIsForgottenOnceNoTokenOfItsSessionCanBeValid() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        RevokedSessions sessions = RevokedSessions.polling(
                new HttpRevocationSource(ServiceClients.create(auth.url(), Duration.ofSeconds(1), Duration.ofSeconds(1))),
                Duration.ofDays(1), clock(now));
        auth.revoke("session-a");
        sessions.refresh();
        assertThat(sessions.isRevoked("session-a")).isTrue();

        now.set(now.get().plus(Duration.ofMinutes(18)));
        sessions.refresh();

        assertThat(sessions.isRevoked("session-a")).isFalse();
    }

    @Test
    void aServiceTokenIsFetchedOnceReusedAndRenewedWhenMostOfItsLifeIsSpent() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        ServiceTokens tokens = serviceTokens(FakeAuthServer.SERVICE_SECRET, clock(now));

        String first = tokens.token();
        String again = tokens.token();
        now.set(now.get().plus(FakeAuthServer.SERVICE_TOKEN_LIFE.multipliedBy(9).dividedBy(10)));
        String renewed = tokens.token();

        assertThat(again).isEqualTo(first);
        assertThat(renewed).isNotEqualTo(first);
        assertThat(auth.serviceTokenRequests()).isEqualTo(2);
        assertThat(verifier(Duration.ofSeconds(5)).verifyService(renewed)).hasValueSatisfying(caller -> {
            assertThat(caller.clientId()).isEqualTo(FakeAuthServer.SERVICE_CLIENT);
            assertThat(caller.scopes()).containsExactly("inventory");
        });
    }

    @Test
    void theTokenInHandIsUsedWhileValidWhenTheAuthServiceIsGoneThenA503() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        ServiceTokens tokens = serviceTokens(FakeAuthServer.SERVICE_SECRET, clock(now));
        String held = tokens.token();
        auth.close();

        now.set(now.get().plus(FakeAuthServer.SERVICE_TOKEN_LIFE.multipliedBy(9).dividedBy(10)));
        String duringOutage = tokens.token();
        now.set(now.get().plus(FakeAuthServer.SERVICE_TOKEN_LIFE));

        assertThat(duringOutage).isEqualTo(held);
        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(ProblemException.class,
                                                                 e -> assertThat(e.problem().status()).isEqualTo(503));
    }

    @Test
    void aWrongSecretGetsNoTokenAndA503() {
        ServiceTokens tokens = serviceTokens("wrong", Clock.systemUTC());

        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(ProblemException.class,
                                                                 e -> assertThat(e.problem().status()).isEqualTo(503));
    }

    private ServiceTokens serviceTokens(String secret, Clock clock) {
        return new ServiceTokens(ServiceClients.create(auth.url(), Duration.ofSeconds(2), Duration.ofSeconds(2)),
                                 FakeAuthServer.SERVICE_CLIENT, secret, clock);
    }

    private JwtVerifier verifier(Duration poll) {
        Config config = TestConfig.of(Map.of("auth.service.url", auth.url(),
                                             "jwt.revocation.poll.interval", poll.toString()));
        return JwtVerifier.create(JwksCache.create(config), config);
    }

    private static Clock clock(AtomicReference<Instant> now) {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    private static boolean eventuallyEmpty(JwtVerifier verifier, String token) {
        return eventually(() -> verifier.verify(token).isEmpty());
    }

    private static boolean eventuallyPresent(JwtVerifier verifier, String token) {
        return eventually(() -> verifier.verify(token).isPresent());
    }

    private static boolean eventually(BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
