package io.example.commons.security;

import java.time.Instant;
import java.util.Set;

/**
 * The caller, as proven by a verified access token.
 *
 * @param id        user id (the token's {@code sub})
 * @param email     email claim
 * @param roles     roles claim, e.g. {@code USER}, {@code ADMIN}
 * @param expiresAt when the token stops being valid
 */
public record AuthenticatedUser(String id, String email, Set<String> roles, Instant expiresAt) {
    /** The administrator role. */
    public static final String ADMIN = "ADMIN";

    /**
     * @param role role name
     * @return whether the user has it
     */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /**
     * @return whether the user is an administrator
     */
    public boolean isAdmin() {
        return hasRole(ADMIN);
    }
}
