package io.example.commons.security;

import java.time.Instant;
import java.util.Set;

/**
 * A calling service, as proven by a verified service token.
 *
 * @param clientId  the service ({@code client_id} and {@code sub}), e.g. {@code order-service}
 * @param scopes    what it may do, e.g. {@code inventory}
 * @param expiresAt when the token stops being valid
 */
public record ServiceCaller(String clientId, Set<String> scopes, Instant expiresAt) {
}
