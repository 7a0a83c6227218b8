package io.example.commons.security;

/**
 * Where a verifier learns of revoked sessions: the auth service's feed over HTTP, or, inside the auth
 * service, its own database.
 */
@FunctionalInterface
public interface RevocationSource {
    /**
     * @param cursor what the previous answer returned, or null for everything still relevant
     * @return the revocations since then
     * @throws RuntimeException when the source cannot be reached
     */
    RevocationFeed since(String cursor);
}
