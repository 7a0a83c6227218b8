package io.example.commons.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import io.helidon.security.jwt.jwk.JwkEC;

/**
 * An ES256 (P-256) key pair with its {@code kid}, the RFC 7638 thumbprint of the public key, so the same
 * key always has the same id and a verifier can tell keys apart after a rotation.
 *
 * @param kid        key id
 * @param privateKey private key (absent on the verifying side)
 * @param publicKey  public key
 */
public record SigningKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {
    /** The only signature algorithm issued and accepted. */
    public static final String ALGORITHM = "ES256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /**
     * A fresh random key pair.
     *
     * @return key
     */
    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return of((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available in this JDK", e);
        }
    }

    /**
     * A key pair with its thumbprint as kid.
     *
     * @param privateKey private key
     * @param publicKey  public key
     * @return key
     */
    public static SigningKey of(ECPrivateKey privateKey, ECPublicKey publicKey) {
        return new SigningKey(thumbprint(publicKey), privateKey, publicKey);
    }

    /**
     * @return the public key as a JWK for signing with Helidon (includes the private key when present)
     */
    public JwkEC toJwk() {
        JwkEC.Builder builder = JwkEC.builder()
                .keyId(kid)
                .algorithm(ALGORITHM)
                .usage("sig")
                .publicKey(publicKey);
        if (privateKey != null) {
            builder.privateKey(privateKey);
        }
        return builder.build();
    }

    /**
     * @return base64url of the public point's x coordinate (32 bytes)
     */
    public String x() {
        return BASE64URL.encodeToString(coordinate(publicKey.getW().getAffineX()));
    }

    /**
     * @return base64url of the public point's y coordinate (32 bytes)
     */
    public String y() {
        return BASE64URL.encodeToString(coordinate(publicKey.getW().getAffineY()));
    }

    /**
     * RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url.
     *
     * @param publicKey public key
     * @return thumbprint
     */
    public static String thumbprint(ECPublicKey publicKey) {
        String x = BASE64URL.encodeToString(coordinate(publicKey.getW().getAffineX()));
        String y = BASE64URL.encodeToString(coordinate(publicKey.getW().getAffineY()));
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return BASE64URL.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    // fixed-length, unsigned big-endian, as JWK requires (BigInteger may add a sign byte or drop zeros)
    private static byte[] coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
        return fixed;
    }
}
