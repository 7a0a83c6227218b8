package io.example.auth.users;

import java.time.Instant;
import java.util.Set;

/**
 * A registered user as stored.
 *
 * @param id           id (UUID)
 * @param email        normalised email ({@link EmailAddresses}: lower case, ASCII)
 * @param name         display name
 * @param passwordHash Argon2id PHC string
 * @param roles        roles
 * @param createdAt    created
 * @param updatedAt    last changed
 */
public record User(String id, String email, String name, String passwordHash, Set<String> roles,
                   Instant createdAt, Instant updatedAt) {
}
