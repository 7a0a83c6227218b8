package io.example.commons.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Logger;

import io.example.commons.observe.ReadinessCheck;
import io.example.commons.tracing.StatementSpans;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.health.HealthCheck;

import org.flywaydb.core.Flyway;

/**
 * A service's own database: migrated by Flyway at start, then used through a Helidon DB client over a
 * {@link HikariPool}.
 *
 * <p>Config (under {@code db}, overridable by {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}), all
 * required: {@code url} (checked and completed by {@link DatabaseUrl}), {@code user}, {@code password},
 * {@code pool-size}, {@code start-wait}. Migrations are the classpath's {@code db/migration/V*.sql}. Every
 * statement run through the client is a span of the trace it runs for ({@link StatementSpans}); the pool's
 * state is published at {@code /metrics} ({@link PoolMetrics}).
 *
 * <p>A database that cannot be reached yet (in a cluster, PostgreSQL starting beside the services) is waited
 * for, up to {@code start-wait}, instead of failing the start and sending the pod into a crash loop; a
 * database that answers and refuses (wrong password, unknown database) fails the start at once.
 *
 * <p>A commit is acknowledged only once it survives a kill of the process: H2 URLs get the settings of
 * {@link DatabaseUrl} (no write delay among them), and a PostgreSQL session that would acknowledge commits
 * before they are flushed ({@code synchronous_commit = off}, {@code fsync = off}) stops the start. An H2 file
 * is kept compact in the background ({@link H2Compaction}). An H2 file's directory is created before H2 opens it,
 * so services started together in a fresh working directory do not race to create {@code ./data}.
 */
public final class Database {
    private static final Logger LOGGER = Logger.getLogger(Database.class.getName());
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    /** Tables commons owns, migrated from its own {@code db/<name>} with a history table of their own. */
    public enum SharedSchema {
        /** The transactional outbox of {@code io.example.commons.events}. */
        OUTBOX("outbox");

        private final String name;

        SharedSchema(String name) {
            this.name = name;
        }
    }

    private final DbClient client;

    private Database(DbClient client) {
        this.client = client;
    }

    /**
     * Migrate the database and open the pool.
     *
     * @param dbConfig    the {@code db} config node
     * @param serviceName names the connection pool
     * @param shared      the commons tables this service uses too
     * @return the database
     */
    public static Database start(Config dbConfig, String serviceName, SharedSchema... shared) {
        String url = DatabaseUrl.checked(dbConfig.get("url").asString().get());
        String user = dbConfig.get("user").asString().get();
        String password = dbConfig.get("password").asString().get();
        int poolSize = dbConfig.get("pool-size").asInt().get();
        Duration startWait = dbConfig.get("start-wait").as(Duration.class).get();

        if (DatabaseUrl.isH2(url)) {
            DatabaseUrl.h2Directory(url).ifPresent(Database::createDirectory);
        }
        awaitReachable(url, user, password, startWait);
        requireDurableCommits(url, user, password);
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        for (SharedSchema schema : shared) {
            // its own history table: its versions never mix with the service's
            Flyway.configure()
                    .dataSource(url, user, password)
                    .locations("classpath:db/" + schema.name)
                    .table("flyway_" + schema.name + "_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        }

        if (DatabaseUrl.isH2(url)) {
            H2Compaction.start(url, user, password);
        }
        StatementSpans spans = new StatementSpans();
        DbClient client = JdbcClientBuilder.create()
                .connectionPool(spans.watch(new HikariPool(url, user, password, poolSize, serviceName)))
                .addService(spans)
                .build();
        LOGGER.info(() -> "Database ready at " + redact(url));
        return new Database(client);
    }


    /**
     * @return the pooled client
     */
    public DbClient client() {
        return client;
    }

    /**
     * Readiness: the database answers a trivial query. A failure is DOWN (503), never an error (500).
     *
     * @return health check
     */
    public HealthCheck readiness() {
        return ReadinessCheck.of("database", () -> client.execute().query("SELECT 1").count() == 1);
    }

    // H2 creates a missing directory itself, but checks for it and then creates it: services started together in a
    // fresh working directory raced for ./data, and the one that lost failed its start
    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the database's directory " + directory + ": " + e, e);
        }
    }

    private static void awaitReachable(String url, String user, String password, Duration startWait) {
        Instant deadline = Instant.now().plus(startWait);
        Duration pause = Duration.ofMillis(250);
        while (true) {
            try (Connection ignored = DriverManager.getConnection(url, user, password)) {
                return;
            } catch (SQLException e) {
                if (!unreachable(e)) {
                    throw new IllegalStateException("The database at " + redact(url) + " refused the connection", e);
                }
                if (Instant.now().plus(pause).isAfter(deadline)) {
                    throw new IllegalStateException("The database at " + redact(url) + " was not reachable within "
                                                            + startWait + " (db.start-wait)", e);
                }
                LOGGER.info("Waiting for the database at " + redact(url) + ": " + e.getMessage());
                sleep(pause);
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(MAX_PAUSE) < 0 ? doubled : MAX_PAUSE;
            }
        }
    }

    // SQLSTATE class 08: connection exception (nothing listening, connection lost); 57P03: PostgreSQL is up
    // but still starting or recovering ("the database system is starting up")
    private static boolean unreachable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || "57P03".equals(state));
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the database", e);
        }
    }

    private static void requireDurableCommits(String url, String user, String password) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            if (DatabaseUrl.isH2(url)) {
                String writeDelay = value(statement, "SELECT setting_value FROM information_schema.settings"
                        + " WHERE setting_name = 'WRITE_DELAY'");
                if (!"0".equals(writeDelay)) {
                    throw notDurable("H2's WRITE_DELAY is " + writeDelay);
                }
                return;
            }
            // off: a commit is acknowledged before its WAL is flushed, and a kill of the database loses it
            String synchronousCommit = value(statement, "SHOW synchronous_commit");
            if ("off".equalsIgnoreCase(synchronousCommit)) {
                throw notDurable("PostgreSQL's synchronous_commit is off");
            }
            // off: commits survive a killed process, not a crashed machine (embedded test servers run so)
            if ("off".equalsIgnoreCase(value(statement, "SHOW fsync"))) {
                LOGGER.warning("PostgreSQL runs with fsync off: commits survive a killed process, not a crashed machine");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot check that " + redact(url) + " makes commits durable", e);
        }
    }

    private static String value(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static IllegalStateException notDurable(String setting) {
        return new IllegalStateException(setting + ": commits would be acknowledged before they are durable, so the"
                                                 + " service refuses to start on this database");
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
