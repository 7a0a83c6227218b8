package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TokensTest {
    private static final String PAIR = """
            {"accessToken":"eyJ.a.b","tokenType":"Bearer","expiresIn":900,"refreshToken":"r-1"}""";

    private static Answer answer(int status, String contentType, String body) {
        return new Answer(status, HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true), body);
    }

    @Test
    void aLoginAnswerGivesTheTokens() {
        assertThat(Tokens.from(answer(200, "application/json", PAIR)))
                .contains(new Tokens("eyJ.a.b", "r-1", Duration.ofSeconds(900)));
    }

    @Test
    void aProblemIsNeverTakenForATokenWhateverItsBodySays() {
        // a rate-limited or refused login: the shell loop's sed would have sent this body on as a "token"
        assertThat(Tokens.from(answer(429, "application/problem+json",
                "{\"type\":\"https://example.io/problems/rate-limited\",\"status\":429,\"accessToken\":\"x\"}"))).isEmpty();
        assertThat(Tokens.from(answer(401, "application/json", PAIR))).isEmpty();
    }

    @Test
    void aSuccessWithoutEveryFieldGivesNoTokens() {
        assertThat(Tokens.from(answer(200, "application/json", "{\"accessToken\":\"a\",\"expiresIn\":900}"))).isEmpty();
        assertThat(Tokens.from(answer(200, "application/json", "{\"accessToken\":\"\",\"refreshToken\":\"r\",\"expiresIn\":900}"))).isEmpty();
        assertThat(Tokens.from(answer(200, "text/html", PAIR))).isEmpty();
        assertThat(Tokens.from(answer(200, "application/json", "not json"))).isEmpty();
    }

    @Test
    void refreshesAtTheRunsIntervalOrBeforeExpiryWhicheverIsFirst() {
        Tokens fifteenMinutes = new Tokens("a", "r", Duration.ofMinutes(15));

        assertThat(fifteenMinutes.refreshAfter(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(fifteenMinutes.refreshAfter(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(12));
    }
}
