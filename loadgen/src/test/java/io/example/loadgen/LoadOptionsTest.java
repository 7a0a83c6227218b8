package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class LoadOptionsTest {
    @Test
    void readsEveryOptionOverItsDefault() {
        LoadOptions options = LoadOptions.parse("--base", "http://localhost:8080/", "--duration", "20s", "--users", "3", "--spawn-rate", "2/s",
                "--rate", "6/s", "--login-rate", "5/min", "--refresh-every", "5s", "--fail-on", "401,429,5xx");

        assertThat(options.base()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.users()).isEqualTo(3);
        assertThat(options.spawnRate().burst()).isEqualTo(2);
        assertThat(options.userRate().perSecond()).isEqualTo(2.0);
        assertThat(options.loginRate().burst()).isEqualTo(5);
        assertThat(options.refreshEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.failOn().entries()).containsExactly("401", "429", "5xx");
        assertThat(options.reportEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.perSecond()).isEmpty();
    }

    @Test
    void writesEachSecondToAFileOnlyWhenAsked() {
        assertThat(LoadOptions.parse("--base", "http://gw", "--per-second", "run.csv").perSecond()).contains(Path.of("run.csv"));
    }

    @Test
    void zeroDurationRunsUntilStopped() {
        assertThat(LoadOptions.parse("--base", "http://gw", "--duration", "0").runsUntilStopped()).isTrue();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> LoadOptions.parse("--duration", "60s")).hasMessageContaining("--base");
        assertThatThrownBy(() -> LoadOptions.parse("--base", "localhost:8080")).hasMessageContaining("http");
        assertThatThrownBy(() -> LoadOptions.parse("--base", "http://gw", "--rate", "5")).hasMessageContaining("5/s");
        assertThatThrownBy(() -> LoadOptions.parse("--base", "http://gw", "--users", "0")).hasMessageContaining("--users");
        assertThatThrownBy(() -> LoadOptions.parse("--base", "http://gw", "--duration", "1d")).hasMessageContaining("--duration");
        assertThatThrownBy(() -> LoadOptions.parse("--base", "http://gw", "--speed", "1")).hasMessageContaining("--speed");
        assertThatThrownBy(() -> LoadOptions.parse("--base")).hasMessageContaining("needs a value");
    }

    @Test
    void theUsageListsEveryOptionWithItsDefault() {
        assertThat(LoadOptions.usage()).contains("--base", "--rate", "[5/s]", "--login-rate", "[8/min]", "--fail-on");
    }
}
