package io.example.commons.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL acknowledges a commit once its WAL is flushed, unless a setting weakens that; the services refuse
 * to start on such a session. The tests run the PostgreSQL major version the manifests deploy.
 */
class PostgresDurabilityTest {
    private static TestDatabases.Postgres postgres;

    @BeforeAll
    static void startServer() {
        postgres = TestDatabases.postgres();
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @Test
    void aSessionThatAcknowledgesCommitsBeforeTheyAreFlushedIsRefused() {
        String url = postgres.url() + "&options=-c%20synchronous_commit%3Doff";

        assertThatThrownBy(() -> start(url))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("synchronous_commit is off")
                .hasMessageContaining("refuses to start");
    }

    @Test
    void aDurableSessionStarts() {
        Database database = start(postgres.url());

        assertThat(database.client().execute().get("SHOW synchronous_commit")
                           .map(row -> row.column(1).get(String.class))).contains("on");
    }

    @Test
    void theTestsRunThePostgresMajorVersionTheManifestsDeploy() throws IOException {
        String statefulSet = Files.readString(Path.of("..", "kubernetes", "postgres", "statefulset.yaml"));
        Matcher image = Pattern.compile("image:\\s*\"?postgres:(\\d+)").matcher(statefulSet);
        assertThat(image.find()).as("the postgres image in kubernetes/postgres/statefulset.yaml").isTrue();

        int serverVersion = start(postgres.url()).client().execute().get("SHOW server_version_num")
                .map(row -> Integer.parseInt(row.column(1).get(String.class))).orElseThrow();

        assertThat(serverVersion / 10000).isEqualTo(Integer.parseInt(image.group(1)));
    }

    @Test
    void theJdbcDriverIsOutsideCve2025_49146() throws SQLException {
        String version;
        try (Connection connection = DriverManager.getConnection(postgres.url(), "postgres", "postgres")) {
            version = connection.getMetaData().getDriverVersion();
        }
        int[] parts = Arrays.stream(version.split("\\.")).limit(3).mapToInt(Integer::parseInt).toArray();

        // affected: 42.7.4 to 42.7.6
        assertThat(parts[0] > 42 || parts[0] == 42 && (parts[1] > 7 || parts[1] == 7 && parts[2] >= 7))
                .as("pgjdbc %s", version).isTrue();
    }

    private static Database start(String url) {
        return Database.start(TestConfig.of(Map.of("db.url", url, "db.user", "postgres",
                                                    "db.password", "postgres")).get("db"), "durability");
    }
}
