package io.example.auth.tokens;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.security.SigningKey;

import io.helidon.config.Config;
import io.helidon.security.jwt.jwk.JwkKeys;

import org.bouncycastle.jce.ECNamedCurveTable;

/**
 * The key that signs tokens and the keys the JWKS publishes: the signing key's public half plus any
 * previous public keys still accepted during a rotation (see docs/key-rotation.md).
 *
 * <p>{@code jwt.private.key} ({@code JWT_PRIVATE_KEY}) is a PEM PKCS#8 EC P-256 private key; without it a
 * key pair is generated at start, which is fine for a laptop and wrong for more than one replica.
 * {@code jwt.previous.public.keys} ({@code JWT_PREVIOUS_PUBLIC_KEYS}) holds PEM public keys, one after the
 * other.
 */
public final class KeyRing {
    private static final Logger LOGGER = Logger.getLogger(KeyRing.class.getName());
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final SigningKey signingKey;
    private final List<SigningKey> published;

    private KeyRing(SigningKey signingKey, List<SigningKey> published) {
        this.signingKey = signingKey;
        this.published = List.copyOf(published);
    }

    /**
     * @param jwtConfig the {@code jwt} config node
     * @return key ring
     */
    public static KeyRing create(Config jwtConfig) {
        SigningKey signing = jwtConfig.get("private.key").asString()
                .filter(pem -> !pem.isBlank())
                .map(KeyRing::fromPrivatePem)
                .orElseGet(() -> {
                    LOGGER.warning("JWT_PRIVATE_KEY is not set: signing with a key pair generated now. Tokens will not"
                                           + " survive a restart and replicas will not accept each other's tokens.");
                    return SigningKey.generate();
                });
        List<SigningKey> published = new ArrayList<>();
        published.add(signing);
        jwtConfig.get("previous.public.keys").asString()
                .ifPresent(pems -> publicKeys(pems).stream()
                        .filter(key -> !key.kid().equals(signing.kid()))
                        .forEach(published::add));
        LOGGER.info(() -> "Signing tokens with kid " + signing.kid() + "; publishing " + published.size() + " key(s)");
        return new KeyRing(signing, published);
    }

    /**
     * @param signing the signing key
     * @return a ring publishing only that key
     */
    public static KeyRing of(SigningKey signing) {
        return new KeyRing(signing, List.of(signing));
    }

    /**
     * @return the key that signs new tokens
     */
    public SigningKey signingKey() {
        return signingKey;
    }

    /**
     * @return every key verifiers should accept, signing key first
     */
    public List<SigningKey> published() {
        return published;
    }

    /**
     * @return the published keys for an in-process verifier
     */
    public JwkKeys jwkKeys() {
        JwkKeys.Builder builder = JwkKeys.builder();
        published.forEach(key -> builder.addKey(new SigningKey(key.kid(), null, key.publicKey()).toJwk()));
        return builder.build();
    }

    static SigningKey fromPrivatePem(String pem) {
        try {
            Matcher m = PEM.matcher(pem);
            if (!m.find() || !m.group(1).equals("PRIVATE KEY")) {
                throw new IllegalArgumentException("JWT_PRIVATE_KEY must be a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
            }
            ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(decode(m.group(2))));
            return SigningKey.of(privateKey, publicOf(privateKey));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("JWT_PRIVATE_KEY is not an EC P-256 private key", e);
        }
    }

    static List<SigningKey> publicKeys(String pems) {
        List<SigningKey> keys = new ArrayList<>();
        Matcher m = PEM.matcher(pems);
        while (m.find()) {
            try {
                ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
                        .generatePublic(new X509EncodedKeySpec(decode(m.group(2))));
                keys.add(new SigningKey(SigningKey.thumbprint(key), null, key));
            } catch (GeneralSecurityException | ClassCastException e) {
                throw new IllegalArgumentException("JWT_PREVIOUS_PUBLIC_KEYS holds a key that is not an EC public key", e);
            }
        }
        return keys;
    }

    // Q = d * G on P-256: the JDK cannot derive an EC public key from the private one, Bouncy Castle can
    private static ECPublicKey publicOf(ECPrivateKey privateKey) throws GeneralSecurityException {
        var curve = ECNamedCurveTable.getParameterSpec("secp256r1");
        var q = curve.getG().multiply(privateKey.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, privateKey.getParams()));
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
    }
}
