package io.example.auth.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import io.example.commons.security.JwtSigner;
import io.example.commons.security.ServiceTokens;

import io.helidon.config.Config;

/**
 * Service tokens for the services that call each other (client credentials): each client named in
 * {@code service.tokens.clients} ({@code <client-id>: <scopes>}) gets a token with its scopes for its
 * secret, which comes only from {@code <CLIENT_ID>_CLIENT_SECRET} in the environment. A client without a
 * secret gets nothing (and a warning at start-up).
 */
public final class ServiceTokenIssuer {
    private static final Logger LOGGER = Logger.getLogger(ServiceTokenIssuer.class.getName());

    private record Client(Set<String> scopes, byte[] secretDigest) {
    }

    private final JwtSigner signer;
    private final Map<String, Client> clients;
    private final Duration life;
    private final Clock clock;

    private ServiceTokenIssuer(JwtSigner signer, Map<String, Client> clients, Duration life, Clock clock) {
        this.signer = signer;
        this.clients = Map.copyOf(clients);
        this.life = life;
        this.clock = clock;
    }

    /**
     * @param root   root config
     * @param signer the signer of every token
     * @param clock  clock
     * @return issuer
     */
    public static ServiceTokenIssuer create(Config root, JwtSigner signer, Clock clock) {
        Map<String, Client> clients = new HashMap<>();
        for (Config client : root.get("service.tokens.clients").asNodeList().orElse(List.of())) {
            String id = client.name();
            Optional<String> secret = root.get(ServiceTokens.secretKey(id)).asString().map(String::strip)
                    .filter(s -> !s.isEmpty());
            if (secret.isEmpty()) {
                LOGGER.warning(() -> ServiceTokens.secretVariable(id) + " is not set: " + id + " gets no service tokens");
                continue;
            }
            Set<String> scopes = new LinkedHashSet<>(Arrays.asList(client.asString().orElse("").trim().split("\\s+")));
            scopes.remove("");
            clients.put(id, new Client(Set.copyOf(scopes), sha256(secret.get())));
        }
        return new ServiceTokenIssuer(signer, clients,
                                      root.get("service.tokens.ttl").as(Duration.class).get(),
                                      clock);
    }

    /**
     * @param clientId     the calling service
     * @param clientSecret its secret
     * @return a token, or empty for an unknown client or a wrong secret
     */
    public Optional<ServiceTokens.Answer> issue(String clientId, String clientSecret) {
        Client client = clients.get(clientId);
        // compared as digests, in constant time: the time taken says nothing about the secret
        byte[] presented = sha256(clientSecret);
        if (client == null || !MessageDigest.isEqual(presented, client.secretDigest())) {
            return Optional.empty();
        }
        String token = signer.signService(clientId, client.scopes(), clock.instant(), life);
        return Optional.of(new ServiceTokens.Answer(token, "Bearer", life.toSeconds(),
                                                    String.join(" ", client.scopes().stream().sorted().toList())));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
