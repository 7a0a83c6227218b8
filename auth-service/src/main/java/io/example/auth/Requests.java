package io.example.auth;

import java.util.List;

/**
 * The JSON bodies the auth service reads (JSON-B binds public records).
 */
public final class Requests {
    private Requests() {
    }

    /**
     * @param email    email
     * @param password password
     * @param name     display name
     */
    public record Register(String email, String password, String name) {
    }

    /**
     * @param email    email
     * @param password password
     */
    public record Login(String email, String password) {
    }

    /**
     * @param refreshToken refresh token
     */
    public record Refresh(String refreshToken) {
    }

    /**
     * @param roles the complete new set of roles
     */
    public record Roles(List<String> roles) {
    }
}
