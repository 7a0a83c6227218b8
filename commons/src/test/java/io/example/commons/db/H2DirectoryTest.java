package io.example.commons.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.example.commons.testing.TestConfig;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Services started together in a fresh working directory (the e2e stack; run-local.sh creates {@code ./data}
 * first) each create {@code ./data/<service>/}; H2 alone checks for {@code ./data} and then creates it, so the
 * one that lost that race failed its start.
 */
class H2DirectoryTest {
    private static final int SERVICES = 6;
    private static final int ROUNDS = 8;

    @Test
    void servicesStartedTogetherInAFreshDirectoryAllStart() throws Exception {
        ExecutorService starts = Executors.newFixedThreadPool(SERVICES);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Path workDir = Files.createTempDirectory("h2-directory");
                CyclicBarrier together = new CyclicBarrier(SERVICES);
                List<Future<Database>> started = new ArrayList<>();
                for (int i = 0; i < SERVICES; i++) {
                    Config db = h2Config(workDir.resolve("data").resolve("service-" + i).resolve("db"));
                    started.add(starts.submit(() -> {
                        together.await();
                        return Database.start(db, "order-service");
                    }));
                }
                for (Future<Database> database : started) {
                    assertThat(database.get(60, TimeUnit.SECONDS).client().execute().query("SELECT 1").count())
                            .isEqualTo(1);
                }
            }
        } finally {
            starts.shutdownNow();
        }
    }

    @Test
    void aFileWhereTheDatabaseDirectoryBelongsFailsTheStartSayingSo() throws Exception {
        Path workDir = Files.createTempDirectory("h2-directory");
        Files.writeString(workDir.resolve("data"), "not a directory");

        assertThatThrownBy(() -> Database.start(h2Config(workDir.resolve("data").resolve("db").resolve("db")),
                                                "order-service"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot create the database's directory " + workDir.resolve("data").resolve("db"));
    }

    private static Config h2Config(Path file) {
        return TestConfig.of(Map.of("db.url", "jdbc:h2:file:" + file)).get("db");
    }
}
