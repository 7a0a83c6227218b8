package io.example.auth.users;

import java.util.List;

/**
 * A user as clients see it: never the password hash.
 *
 * @param id    id
 * @param email email
 * @param name  name
 * @param roles roles, sorted
 */
public record UserView(String id, String email, String name, List<String> roles) {
    /**
     * @param user stored user
     * @return view
     */
    public static UserView of(User user) {
        return new UserView(user.id(), user.email(), user.name(), user.roles().stream().sorted().toList());
    }
}
