package io.example.commons.observe;

import java.util.function.BooleanSupplier;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * A READINESS health check from a yes/no question (Helidon's checks default to LIVENESS). A question that
 * throws counts as "no": the answer is DOWN (503), never an error (500).
 */
public final class ReadinessCheck implements HealthCheck {
    private final String name;
    private final BooleanSupplier ready;

    private ReadinessCheck(String name, BooleanSupplier ready) {
        this.name = name;
        this.ready = ready;
    }

    /**
     * @param name  name shown in {@code /health/ready}
     * @param ready whether the dependency is usable now
     * @return health check
     */
    public static HealthCheck of(String name, BooleanSupplier ready) {
        return new ReadinessCheck(name, ready);
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up;
        try {
            up = ready.getAsBoolean();
        } catch (RuntimeException e) {
            up = false;
        }
        return HealthCheckResponse.builder()
                .status(up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN)
                .build();
    }
}
