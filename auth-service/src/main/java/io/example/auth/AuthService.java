package io.example.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

import io.example.auth.logins.LoginThrottle;
import io.example.auth.passwords.Argon2PasswordHasher;
import io.example.auth.passwords.PasswordPolicy;
import io.example.auth.tokens.TokenIssuer;
import io.example.auth.tokens.TokenPair;
import io.example.auth.users.EmailAddresses;
import io.example.auth.users.User;
import io.example.auth.users.UserRepository;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.http.VisibleText;
import io.example.commons.security.AuthenticatedUser;

import io.helidon.http.Status;

/**
 * The auth rules: registration, login, refresh rotation, logout, roles. No HTTP types beyond the
 * problems it throws.
 */
public final class AuthService {
    /** Roles that exist. */
    public static final Set<String> ROLES = Set.of("USER", AuthenticatedUser.ADMIN);
    private static final Logger LOGGER = Logger.getLogger(AuthService.class.getName());

    private final UserRepository users;
    private final Argon2PasswordHasher hasher;
    private final PasswordPolicy passwords;
    private final LoginThrottle throttle;
    private final TokenIssuer tokens;
    private final Clock clock;

    /**
     * @param users     user store
     * @param hasher    password hasher
     * @param passwords which passwords may be set
     * @param throttle  limit on password guesses per address
     * @param tokens    token issuer
     * @param clock     clock
     */
    public AuthService(UserRepository users, Argon2PasswordHasher hasher, PasswordPolicy passwords,
                       LoginThrottle throttle, TokenIssuer tokens, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.passwords = passwords;
        this.throttle = throttle;
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * @param request registration
     * @return the new user
     */
    public User register(Requests.Register request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Optional<String> email = validEmail(request.email(), errors);
        validatePassword(request.password(), email, errors);
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new Problem.FieldError("name", "is required"));
        } else if (request.name().length() > 100) {
            errors.add(new Problem.FieldError("name", "must be at most 100 characters"));
        } else if (!VisibleText.isOneLine(request.name()) || !VisibleText.isVisible(request.name())) {
            // PostgreSQL cannot store a NUL at all; no other control character belongs in a display name either
            errors.add(new Problem.FieldError("name", VisibleText.RULE));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        User user = newUser(email.orElseThrow(), request.name().strip(), request.password(), Set.of("USER"));
        if (!users.insert(user)) {
            throw new ProblemException(Problem.typed("email-taken", "Email already registered", Status.CONFLICT_409,
                                                     "An account with this email already exists."));
        }
        return user;
    }

    /**
     * Log in. Unknown email and wrong password are indistinguishable: same problem, and a dummy hash is
     * checked for unknown emails so the time taken is comparable. Every attempt counts against the address's
     * limit before the password is checked, known address or not.
     *
     * @param request credentials
     * @return tokens
     */
    public TokenPair login(Requests.Login request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Optional<String> email = validEmail(request.email(), errors);
        if (request.password() == null || request.password().isEmpty()) {
            errors.add(new Problem.FieldError("password", "is required"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String address = email.orElseThrow();
        throttle.attempt(address);
        Optional<User> user = users.findByEmail(address);
        if (user.isEmpty()) {
            hasher.matchDummy(request.password());
            throw badCredentials();
        }
        if (!hasher.matches(request.password(), user.get().passwordHash())) {
            throw badCredentials();
        }
        throttle.succeeded(address);
        return tokens.issue(user.get().id(), users::findById);
    }

    /**
     * @param refreshToken presented refresh token
     * @return a new pair; the presented token stops working
     */
    public TokenPair refresh(String refreshToken) {
        requireToken(refreshToken);
        TokenIssuer.Exchange exchange = tokens.check(refreshToken);
        if (exchange.refusal() != null) {
            if (exchange.refusal() == TokenIssuer.Refusal.REUSED) {
                LOGGER.warning("A used refresh token was presented again: its family is revoked");
            }
            throw invalidRefreshToken();
        }
        User user = users.findById(exchange.userId()).orElseThrow(AuthService::invalidRefreshToken);
        return tokens.rotated(refreshToken, user).orElseThrow(AuthService::invalidRefreshToken);
    }

    /**
     * @param refreshToken the session's refresh token; unknown ones are ignored
     */
    public void logout(String refreshToken) {
        requireToken(refreshToken);
        tokens.revoke(refreshToken);
    }

    /**
     * @param id user id
     * @return the user, or 404
     */
    public User user(String id) {
        return users.findById(id).orElseThrow(() -> ProblemException.of(Status.NOT_FOUND_404, "No such user."));
    }

    /**
     * Replace a user's roles (administrators only; checked by the caller). Ends the user's sessions: their
     * tokens are revoked and they log in again.
     *
     * @param id    user id
     * @param roles new roles
     * @return the updated user
     */
    public User setRoles(String id, List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            throw ProblemException.invalid("roles", "must list at least one role");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i);
            if (role == null || !ROLES.contains(role)) {
                throw ProblemException.invalid("roles[" + i + "]", "must be one of " + ROLES.stream().sorted().toList());
            }
            wanted.add(role);
        }
        // tokens state roles: none issued before the change may keep speaking for the user. Sessions end before
        // the roles change, so a process killed in between leaves logged-out sessions and the old roles (the
        // change was not acknowledged and is retried), never the new roles beside tokens of the old ones; and
        // again after, for a session a concurrent login started meanwhile
        tokens.endSessions(id);
        if (!users.updateRoles(id, wanted, clock.instant())) {
            throw ProblemException.of(Status.NOT_FOUND_404, "No such user.");
        }
        tokens.endSessions(id);
        return user(id);
    }

    /**
     * Create the administrator named in config if it does not exist yet (idempotent; an existing account
     * with that email is left as it is). The address and password follow the same rules as a registration:
     * a service configured with a weak administrator password does not start.
     *
     * @param email    admin email
     * @param password admin password
     * @throws IllegalArgumentException naming the broken rules (never the password itself)
     */
    public void ensureAdmin(String email, String password) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Optional<String> address = validEmail(email, errors);
        validatePassword(password, address, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("ADMIN_EMAIL/ADMIN_PASSWORD are invalid: " + errors.stream()
                    .map(error -> "ADMIN_" + error.field().toUpperCase(Locale.ROOT) + " " + error.message())
                    .toList());
        }
        if (users.findByEmail(address.orElseThrow()).isPresent()) {
            return;
        }
        if (users.insert(newUser(address.orElseThrow(), "Administrator", password,
                                 Set.of("USER", AuthenticatedUser.ADMIN)))) {
            LOGGER.info(() -> "Created administrator " + address.orElseThrow());
        }
    }

    private User newUser(String email, String name, String password, Set<String> roles) {
        Instant now = clock.instant();
        return new User(UUID.randomUUID().toString(), email, name, hasher.hash(password), roles, now, now);
    }

    private static Optional<String> validEmail(String email, List<Problem.FieldError> errors) {
        return switch (EmailAddresses.normalize(email)) {
            case EmailAddresses.Valid valid -> Optional.of(valid.address());
            case EmailAddresses.Invalid invalid -> {
                errors.add(new Problem.FieldError("email", invalid.reason()));
                yield Optional.empty();
            }
        };
    }

    private void validatePassword(String password, Optional<String> email, List<Problem.FieldError> errors) {
        if (password == null) {
            errors.add(new Problem.FieldError("password", "is required"));
            return;
        }
        passwords.violation(password, email).ifPresent(message -> errors.add(new Problem.FieldError("password", message)));
    }

    private static void requireToken(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw ProblemException.invalid("refreshToken", "is required");
        }
    }

    private static ProblemException badCredentials() {
        return new ProblemException(Problem.typed("invalid-credentials", "Invalid credentials", Status.UNAUTHORIZED_401,
                                                  "The email or password is wrong."));
    }

    private static ProblemException invalidRefreshToken() {
        return new ProblemException(Problem.typed("invalid-refresh-token", "Invalid refresh token",
                                                  Status.UNAUTHORIZED_401,
                                                  "The refresh token is unknown, expired, revoked or already used."));
    }
}
