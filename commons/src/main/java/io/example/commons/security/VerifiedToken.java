package io.example.commons.security;

import java.time.Instant;
import java.util.Set;

/**
 * What a token proved, kept in the verifier's cache: a user's token has a subject, roles and usually a
 * session; a service token has a {@code client_id} and scopes instead.
 *
 * @param subject   {@code sub}
 * @param email     {@code email}, or null
 * @param roles     {@code roles}
 * @param sessionId {@code sid}, or null for tokens that have none (service tokens, tokens issued before sessions)
 * @param clientId  {@code client_id}, or null for a user's token
 * @param scopes    {@code scope}, split at spaces
 * @param expiresAt {@code exp}
 */
record VerifiedToken(String subject, String email, Set<String> roles, String sessionId, String clientId,
                     Set<String> scopes, Instant expiresAt) {
    static final String SESSION_ID = "sid";
    static final String CLIENT_ID = "client_id";

    boolean isService() {
        return clientId != null;
    }

    AuthenticatedUser user() {
        return new AuthenticatedUser(subject, email, roles, expiresAt);
    }

    ServiceCaller service() {
        return new ServiceCaller(clientId, scopes, expiresAt);
    }
}
