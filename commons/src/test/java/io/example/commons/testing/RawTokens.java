package io.example.commons.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.example.commons.security.SigningKey;

/**
 * Tokens with any payload at all, validly signed: what a test needs to feed verifiers claims that no
 * issuer of ours would write (a string {@code exp}, an object {@code roles}, ...).
 */
public final class RawTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private RawTokens() {
    }

    /**
     * @param key    signing key (its kid goes into the header)
     * @param claims claim name to raw JSON value, in order
     * @return compact ES256 JWS
     */
    public static String sign(SigningKey key, Map<String, String> claims) {
        StringBuilder payload = new StringBuilder("{");
        claims.forEach((name, json) -> payload.append(payload.length() > 1 ? "," : "").append('"').append(name)
                .append("\":").append(json));
        payload.append('}');
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + key.kid() + "\",\"typ\":\"JWT\"}";
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
            ecdsa.initSign(key.privateKey());
            ecdsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(ecdsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The claims of an access token of the auth service, to change one of before signing.
     *
     * @param issuer   {@code iss}
     * @param audience {@code aud}
     * @param now      epoch second for {@code iat} and {@code nbf}; {@code exp} is ten minutes later
     * @return claim name to raw JSON value (a mutable, ordered map)
     */
    public static Map<String, String> accessTokenClaims(String issuer, String audience, long now) {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("iss", quoted(issuer));
        claims.put("aud", quoted(audience));
        claims.put("sub", quoted("user-1"));
        claims.put("email", quoted("user-1@example.com"));
        claims.put("roles", "[\"USER\"]");
        claims.put("sid", quoted("session-1"));
        claims.put("iat", Long.toString(now));
        claims.put("nbf", Long.toString(now));
        claims.put("exp", Long.toString(now + 600));
        claims.put("jti", quoted("jti-1"));
        return claims;
    }

    /**
     * @param text any text
     * @return it as a JSON string
     */
    public static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
