package io.example.gateway.overview;

import java.util.List;

/**
 * A user's profile as the auth service answers {@code GET /api/auth/me}.
 *
 * @param id    user id
 * @param email email
 * @param name  name; null when the profile comes from the token alone
 * @param roles roles
 */
public record Profile(String id, String email, String name, List<String> roles) {
}
