package io.example.commons.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.example.commons.testing.TestConfig;

import io.helidon.dbclient.DbClient;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's H2 file stays compact under a steady stream of commits, where H2 alone (no background writer with
 * {@code WRITE_DELAY=0}) lets it grow by every commit; and the service's connections keep their statements parsed.
 */
class H2CompactionTest {
    private static final int COMMITS = 4000;
    // H2 frees a chunk 45 s after its last live page left it; at 0 the test sees the file stay small in seconds
    private static final String NO_RETENTION = ";RETENTION_TIME=0";

    @Test
    void theFileOfAServiceStaysSmallWhereH2AloneLetsItGrow() throws Exception {
        Path compacted = Files.createTempDirectory("compacted").resolve("db");
        Path alone = Files.createTempDirectory("alone").resolve("db");
        DbClient service = Database.start(TestConfig.of(Map.of("db.url", "jdbc:h2:file:" + compacted + NO_RETENTION))
                                                  .get("db"), "compaction").client();
        service.execute().dml(TABLE);
        service.execute().dml(INDEX);
        try (Connection h2Alone = DriverManager.getConnection("jdbc:h2:file:" + alone + NO_RETENTION
                                                                      + DatabaseUrl.h2Options(), "sa", "")) {
            h2Alone.createStatement().execute(TABLE);
            h2Alone.createStatement().execute(INDEX);
            // Two bursts: a round a second rewrites at most 1 MiB, so after the first both files are about the same
            // size; the compacted one has chunks free again after a few rounds and the second burst's commits fill
            // them, where H2 alone grows by every commit again. (One burst left the comparison to chance: H2 gives a
            // freed chunk's space back to the file only at its end.)
            commit(service, h2Alone, 0);
            assertThat(awaitCompacted(service)).as("compacted after the first burst").isGreaterThanOrEqualTo(50);
            commit(service, h2Alone, COMMITS);
            int aloneFill = chunksFillRate(h2Alone);
            int compactedFill = awaitCompacted(service);

            assertThat(aloneFill).as("H2 alone").isLessThan(30);
            assertThat(compactedFill).as("compacted").isGreaterThanOrEqualTo(50);
            assertThat(Files.size(Path.of(compacted + ".mv.db"))).isLessThan(Files.size(Path.of(alone + ".mv.db")));
        }
    }

    // COMMITS inserts into both, each its own commit; random keys, as the services' ids are: each commit changes
    // pages all over both trees
    private static void commit(DbClient service, Connection h2Alone, int first) throws SQLException {
        for (int i = first; i < first + COMMITS; i++) {
            String id = UUID.randomUUID().toString();
            service.execute().dml(INSERT, id, "event " + i);
            try (PreparedStatement insert = h2Alone.prepareStatement(INSERT)) {
                insert.setString(1, id);
                insert.setString(2, "event " + i);
                insert.executeUpdate();
            }
        }
    }

    // the service's fill rate once its compaction has brought it to 50%, or after 20 s
    private static int awaitCompacted(DbClient service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int fill = chunksFillRate(service);
        while (fill < 50 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            fill = chunksFillRate(service);
        }
        return fill;
    }

    @Test
    void aServiceConnectionKeepsEveryStatementParsed() throws Exception {
        Database database = Database.start(TestConfig.of(Map.of(
                "db.url", "jdbc:h2:file:" + Files.createTempDirectory("plain").resolve("db"))).get("db"), "query-cache");

        assertThat(setting(database, "QUERY_CACHE_SIZE")).isEqualTo(64);
    }

    @Test
    void aServiceDatabaseCachesFourMebibytesOfPages() throws Exception {
        Database database = Database.start(TestConfig.of(Map.of(
                "db.url", "jdbc:h2:file:" + Files.createTempDirectory("plain").resolve("db"))).get("db"), "page-cache");

        // H2 reports the cache's limit in MiB; 16 when the URL does not set it
        assertThat(setting(database, "info.CACHE_MAX_SIZE")).isEqualTo(4);
    }

    private static int setting(Database database, String name) {
        return database.client().execute()
                .get("SELECT setting_value FROM information_schema.settings WHERE setting_name = ?", name)
                .map(row -> Integer.parseInt(row.column("setting_value").get(String.class))).orElseThrow();
    }

    // how much of the file's chunks is live data, in percent, as H2 counts it
    private static int chunksFillRate(Connection connection) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery(FILL_RATE)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static int chunksFillRate(DbClient client) {
        return client.execute().get(FILL_RATE).map(row -> row.column(1).get(Integer.class)).orElseThrow();
    }

    private static final String FILL_RATE =
            "SELECT CAST(setting_value AS INT) FROM information_schema.settings WHERE setting_name = 'info.CHUNKS_FILL_RATE'";
    private static final String TABLE = "CREATE TABLE events (id VARCHAR(36) PRIMARY KEY, name VARCHAR(100))";
    private static final String INDEX = "CREATE INDEX events_name ON events (name)";
    private static final String INSERT = "INSERT INTO events (id, name) VALUES (?, ?)";
}
