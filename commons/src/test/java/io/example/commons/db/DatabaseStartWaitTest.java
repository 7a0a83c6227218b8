package io.example.commons.db;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.example.commons.testing.FreePorts;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import io.helidon.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service starting before its database (a pod beside PostgreSQL on a first deploy) waits for it, up to
 * {@code db.start-wait}; a database that answers and refuses fails the start at once.
 */
class DatabaseStartWaitTest {
    @Test
    void waitsForAPostgresThatStartsAfterTheService() throws Exception {
        int port = FreePorts.next();
        CompletableFuture<EmbeddedPostgres> later = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedPostgres.builder().setPort(port).setServerConfig("synchronous_commit", "on").start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
        long started = System.nanoTime();
        try {
            Database database = Database.start(postgresConfig(port, "postgres", "PT60S"), "order-service");

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(2));
            assertThat(database.client().execute().query("SELECT 1").count()).isEqualTo(1);
        } finally {
            later.get(60, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void givesUpWhenNothingAnswersWithinTheStartWait() throws Exception {
        int port = FreePorts.next();
        long started = System.nanoTime();

        assertThatThrownBy(() -> Database.start(postgresConfig(port, "postgres", "PT2S"), "order-service"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was not reachable within PT2S (db.start-wait)");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
    }

    @Test
    void aDatabaseThatAnswersAndRefusesFailsTheStartAtOnce() {
        try (TestDatabases.Postgres postgres = TestDatabases.postgres()) {
            int port = Integer.parseInt(postgres.url().replaceAll(".*localhost:(\\d+)/.*", "$1"));
            long started = System.nanoTime();

            assertThatThrownBy(() -> Database.start(postgresConfig(port, "no_such_database", "PT60S"), "order-service"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refused the connection");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    private static Config postgresConfig(int port, String database, String startWait) {
        return TestConfig.of(Map.of("db.url", "jdbc:postgresql://localhost:" + port + "/" + database,
                                    "db.user", "postgres", "db.password", "postgres",
                                    "db.start-wait", startWait)).get("db");
    }
}
