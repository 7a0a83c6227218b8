package io.example.commons.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import io.example.commons.client.BackendFailures;
import io.example.commons.client.ServiceClients;
import io.example.commons.http.Json;
import io.example.commons.http.ProblemException;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.spi.WebClientService;

/**
 * This service's own identity toward the others: a short-lived service token from the auth service
 * ({@code POST /internal/service-tokens} with this service's client id and secret), kept and reused until
 * most of its life is spent, then renewed. If the auth service cannot be reached at renewal, the token in
 * hand is used while it is still valid. {@link #clientService()} puts it on every call of a client.
 *
 * <p>The secret is read from {@code <client-id>.client.secret}, i.e. the environment variable
 * {@code <CLIENT_ID>_CLIENT_SECRET} ({@code ORDER_SERVICE_CLIENT_SECRET} for {@code order-service}); it has
 * no default.
 */
public final class ServiceTokens {
    /** Path of the token endpoint on the auth service. */
    public static final String PATH = "/internal/service-tokens";
    private static final Logger LOGGER = Logger.getLogger(ServiceTokens.class.getName());
    private static final String AUTH_SERVICE = "auth-service";
    // renew once this share of the life is spent: early enough for a slow auth service, late enough to be rare
    private static final double RENEW_AT = 0.8;

    /**
     * The token request's body.
     *
     * @param clientId     the calling service
     * @param clientSecret its secret
     */
    public record Request(String clientId, String clientSecret) {
    }

    /**
     * The token endpoint's answer.
     *
     * @param accessToken the service token
     * @param tokenType   always {@code Bearer}
     * @param expiresIn   its life in seconds
     * @param scope       granted scopes, separated by spaces
     */
    public record Answer(String accessToken, String tokenType, long expiresIn, String scope) {
    }

    private record Held(String token, Instant renewAt, Instant expiresAt) {
    }

    private final Http1Client authService;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private final ReentrantLock renewing = new ReentrantLock();
    private volatile Held held;

    /**
     * @param authService  client for the auth service (with timeouts)
     * @param clientId     this service's client id
     * @param clientSecret its secret
     * @param clock        clock
     */
    public ServiceTokens(Http1Client authService, String clientId, String clientSecret, Clock clock) {
        this.authService = authService;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    /**
     * Tokens for {@code clientId} from the auth service named in config ({@code auth.service.*}).
     *
     * @param root     root config
     * @param clientId this service's client id, e.g. {@code order-service}
     * @return the token source
     * @throws IllegalStateException when the secret is not configured
     */
    public static ServiceTokens create(Config root, String clientId) {
        String secret = root.get(secretKey(clientId)).asString().map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalStateException(
                        secretVariable(clientId) + " is not set: " + clientId
                                + " cannot prove its identity to the services it calls"));
        return new ServiceTokens(ServiceClients.create(root.get("auth.service")),  clientId, secret, Clock.systemUTC());
    }

    /**
     * @param clientId a client id, e.g. {@code order-service}
     * @return the config key of its secret, e.g. {@code order.service.client.secret}
     */
    public static String secretKey(String clientId) {
        return clientId.replace('-', '.') + ".client.secret";
    }

    /**
     * @param clientId a client id, e.g. {@code order-service}
     * @return the environment variable of its secret, e.g. {@code ORDER_SERVICE_CLIENT_SECRET}
     */
    public static String secretVariable(String clientId) {
        return clientId.replace('-', '_').toUpperCase(Locale.ROOT) + "_CLIENT_SECRET";
    }

    /**
     * A valid service token: the one held, or a new one when it is due for renewal.
     *
     * @return the token
     * @throws ProblemException 503 when there is none and the auth service cannot give one
     */
    public String token() {
        Held current = held;
        if (current != null && clock.instant().isBefore(current.renewAt())) {
            return current.token();
        }
        renewing.lock();
        try {
            current = held;
            if (current != null && clock.instant().isBefore(current.renewAt())) {
                return current.token();
            }
            try {
                held = Contexts.runInContext(Context.create(), this::fetch);
                return held.token();
            } catch (ProblemException e) {
                if (current != null && clock.instant().isBefore(current.expiresAt())) {
                    return current.token();
                }
                throw e;
            }
        } finally {
            renewing.unlock();
        }
    }

    /**
     * Forget a token a service refused (a rotated key, a clock far off): the next call gets a new one.
     *
     * @param token the refused token
     */
    public void refused(String token) {
        Held current = held;
        if (current != null && current.token().equals(token)) {
            held = null;
        }
    }

    /**
     * @return a client service that sends the token as {@code Authorization: Bearer} on every request
     */
    public WebClientService clientService() {
        return (chain, request) -> {
            String token = token();
            request.headers().set(HeaderNames.AUTHORIZATION, "Bearer " + token);
            var response = chain.proceed(request);
            if (response.status() == Status.UNAUTHORIZED_401) {
                refused(token);
            }
            return response;
        };
    }

    private Held fetch() {
        Instant now = clock.instant();
        try (HttpClientResponse response = authService.post(PATH)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(Json.write(new Request(clientId, clientSecret)))) {
            if (response.status().code() != 200) {
                LOGGER.warning(() -> "The auth service refused a service token for " + clientId + ": "
                        + response.status().code());
                throw BackendFailures.unavailable(AUTH_SERVICE);
            }
            Answer answer = Json.JSONB.fromJson(response.as(String.class), Answer.class);
            Duration life = Duration.ofSeconds(answer.expiresIn());
            return new Held(answer.accessToken(), now.plusMillis((long) (life.toMillis() * RENEW_AT)), now.plus(life));
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BackendFailures.toProblem(AUTH_SERVICE, e);
        }
    }
}
