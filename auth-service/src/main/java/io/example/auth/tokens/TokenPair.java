package io.example.auth.tokens;

/**
 * What login and refresh answer.
 *
 * @param accessToken  signed JWT
 * @param tokenType    always {@code Bearer}
 * @param expiresIn    access token lifetime in seconds
 * @param refreshToken opaque, single-use refresh token
 */
public record TokenPair(String accessToken, String tokenType, long expiresIn, String refreshToken) {
}
