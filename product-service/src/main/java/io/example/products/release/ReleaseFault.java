package io.example.products.release;

import java.time.Duration;
import java.util.logging.Logger;

import io.example.products.StrictSettings;

import io.helidon.config.Config;
import io.helidon.webserver.http.Handler;

/**
 * A deliberately bad release, to show a canary analysis rolling one back (docs/canary.md): a share of the
 * catalogue's requests fail ({@code release.fault.error.percent}, env {@code RELEASE_FAULT_ERROR_PERCENT}) and
 * every one of them is answered late ({@code release.fault.delay}, env {@code RELEASE_FAULT_DELAY}). Off unless
 * set; the {@code ms-product-service:2.0.0-bad} image has both set.
 *
 * <p>Only the catalogue's handlers ({@code /api/products/**}) are wrapped. Health, metrics and OpenAPI are
 * never touched (a pod that failed its probes would be restarted or taken out of the Service instead of
 * being judged by its answers), and neither is {@code /internal/reservations}: stock must stay right, and a
 * failing reservation path would be a real outage of ordering, not a demo.
 */
@FunctionalInterface
public interface ReleaseFault {
    /** No fault: the handlers as they are. */
    ReleaseFault NONE = handler -> handler;

    /**
     * A bound on the delay, so a slip of the unit ({@code PT600S} for 600 ms) cannot hold every request for
     * ten minutes.
     */
    Duration MAX_DELAY = Duration.ofSeconds(30);

    /**
     * @param handler a catalogue handler
     * @return the handler with the fault injected before it runs
     */
    Handler around(Handler handler);

    /**
     * @param config root config
     * @return the fault the settings ask for, {@link #NONE} when both are zero
     * @throws IllegalArgumentException for a setting that is not valid: the service does not start
     */
    static ReleaseFault from(Config config) {
        int errorPercent = StrictSettings.whole(config.get("release.fault.error.percent"), 0, 100);
        Duration delay = StrictSettings.duration(config.get("release.fault.delay"), MAX_DELAY);
        if (errorPercent == 0 && delay.isZero()) {
            return NONE;
        }
        Logger.getLogger(ReleaseFault.class.getName()).warning(
                () -> "RELEASE FAULT ON (a demo of a bad release): " + errorPercent + "% of /api/products requests fail"
                        + " with 503, each is answered " + delay.toMillis() + " ms late; /internal, health, metrics"
                        + " and OpenAPI are not affected");
        return new InjectedReleaseFault(errorPercent, delay);
    }
}
