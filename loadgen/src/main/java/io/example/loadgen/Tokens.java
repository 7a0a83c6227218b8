package io.example.loadgen;

import java.time.Duration;
import java.util.Optional;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

/** A user's tokens from a login or a refresh. */
record Tokens(String accessToken, String refreshToken, Duration expiresIn) {

    /**
     * @param answer the answer to a login or a refresh
     * @return the tokens, only from a 200 whose body has all three fields; never from a problem
     */
    static Optional<Tokens> from(Answer answer) {
        if (answer.status() != 200) {
            return Optional.empty();
        }
        return answer.json().flatMap(body -> {
            if (body.get("accessToken") instanceof JsonString access && !access.getString().isEmpty()
                    && body.get("refreshToken") instanceof JsonString refresh && !refresh.getString().isEmpty()
                    && body.get("expiresIn") instanceof JsonNumber expiresIn && expiresIn.longValue() > 0) {
                return Optional.of(new Tokens(access.getString(), refresh.getString(), Duration.ofSeconds(expiresIn.longValue())));
            }
            return Optional.empty();
        });
    }

    /**
     * @param refreshEvery how often the run wants tokens refreshed
     * @return when to refresh: at that interval, or once 80 % of the access token's life is spent if sooner
     */
    Duration refreshAfter(Duration refreshEvery) {
        Duration beforeExpiry = expiresIn.multipliedBy(4).dividedBy(5);
        return refreshEvery.compareTo(beforeExpiry) < 0 ? refreshEvery : beforeExpiry;
    }

    @Override
    public String toString() {
        return "Tokens[expiresIn=" + expiresIn + "]";
    }
}
