package io.example.auth.users;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * Users in the auth service's own database. Emails are stored normalised ({@link EmailAddresses}, lower case)
 * under a unique index, which is what makes them unique case-insensitively even when two registrations race.
 */
public final class UserRepository {
    private static final String COLUMNS = "id, email, name, password_hash, roles, created_at, updated_at";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final DbClient db;

    /**
     * @param db database client
     */
    public UserRepository(DbClient db) {
        this.db = db;
    }

    /**
     * Insert a user.
     *
     * @param user user (email already normalised)
     * @return false when the email is taken
     */
    public boolean insert(User user) {
        try {
            db.execute().dml("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                             user.id(), user.email(), user.name(), user.passwordHash(), joinRoles(user.roles()),
                             user.createdAt().toEpochMilli(), user.updatedAt().toEpochMilli());
            return true;
        } catch (RuntimeException e) {
            if (findByEmail(user.email()).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param email normalised email
     * @return the user
     */
    public Optional<User> findByEmail(String email) {
        return db.execute().get("SELECT " + COLUMNS + " FROM users WHERE email = ?", email).map(UserRepository::user);
    }

    /**
     * @param id user id
     * @return the user
     */
    public Optional<User> findById(String id) {
        if (!isId(id)) {
            return Optional.empty();
        }
        return db.execute().get("SELECT " + COLUMNS + " FROM users WHERE id = ?", id).map(UserRepository::user);
    }

    /**
     * @param id    user id
     * @param roles new roles
     * @param now   time of the change
     * @return whether the user exists
     */
    public boolean updateRoles(String id, Set<String> roles, Instant now) {
        if (!isId(id)) {
            return false;
        }
        return db.execute().dml("UPDATE users SET roles = ?, updated_at = ? WHERE id = ?",
                                joinRoles(roles), now.toEpochMilli(), id) == 1;
    }

    // ids are UUIDs: anything else names no user, and must not reach PostgreSQL, which refuses a NUL with an error
    private static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private static User user(DbRow row) {
        return new User(row.column("id").get(String.class),
                        row.column("email").get(String.class),
                        row.column("name").get(String.class),
                        row.column("password_hash").get(String.class),
                        Arrays.stream(row.column("roles").get(String.class).split(","))
                                .filter(r -> !r.isBlank())
                                .collect(Collectors.toCollection(LinkedHashSet::new)),
                        Instant.ofEpochMilli(row.column("created_at").get(Long.class)),
                        Instant.ofEpochMilli(row.column("updated_at").get(Long.class)));
    }

    private static String joinRoles(Set<String> roles) {
        return roles.stream().sorted().collect(Collectors.joining(","));
    }
}
