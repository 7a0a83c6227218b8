package io.example.products.release;

import java.time.Duration;
import java.util.Map;

import io.example.commons.testing.TestConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bad release's settings: off by default, and a value that is not valid refuses the start with a message
 * naming the variable, never a release that is quietly good (or worse than asked).
 */
class ReleaseFaultSettingsTest {
    @Test
    void theDefaultsInjectNothing() {
        assertThat(ReleaseFault.from(TestConfig.of(Map.of()))).isSameAs(ReleaseFault.NONE);
    }

    @Test
    void eitherSettingAloneTurnsTheFaultOn() {
        assertThat(fault("30", "PT0S")).isEqualTo(new InjectedReleaseFault(30, Duration.ZERO));
        assertThat(fault("0", "PT0.6S")).isEqualTo(new InjectedReleaseFault(0, Duration.ofMillis(600)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            30%    | PT0S    | RELEASE_FAULT_ERROR_PERCENT (release.fault.error.percent) must be a whole number from 0 to 100, not '30%'
            101    | PT0S    | RELEASE_FAULT_ERROR_PERCENT (release.fault.error.percent) must be a whole number from 0 to 100, not '101'
            -1     | PT0S    | RELEASE_FAULT_ERROR_PERCENT (release.fault.error.percent) must be a whole number from 0 to 100, not '-1'
            0      | 600     | RELEASE_FAULT_DELAY (release.fault.delay) must be an ISO-8601 duration from PT0S to PT30S (e.g. PT0.6S), not '600'
            0      | -PT1S   | RELEASE_FAULT_DELAY (release.fault.delay) must be an ISO-8601 duration from PT0S to PT30S (e.g. PT0.6S), not '-PT1S'
            0      | PT600S  | RELEASE_FAULT_DELAY (release.fault.delay) must be an ISO-8601 duration from PT0S to PT30S (e.g. PT0.6S), not 'PT600S'
            """)
    void aValueThatIsNotValidIsRefusedNamingTheVariable(String percent, String delay, String message) {
        assertThatThrownBy(() -> fault(percent, delay)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static ReleaseFault fault(String percent, String delay) {
        return ReleaseFault.from(TestConfig.of(Map.of("release.fault.error.percent", percent, "release.fault.delay", delay)));
    }
}
