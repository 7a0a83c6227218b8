package io.example.commons.db;

import java.util.Map;
import java.util.logging.Logger;

import io.example.commons.observe.ReadinessCheck;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;

import org.flywaydb.core.Flyway;

/**
 * A service's own database: migrated by Flyway at start, then used through a pooled Helidon DB client.
 *
 * <p>Config (under {@code db}, overridable by {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}):
 * {@code url} (default an H2 file under {@code ./data/<service>/}), {@code user}, {@code password},
 * {@code pool-size}. Migrations are the classpath's {@code db/migration/V*.sql}.
 */
public final class Database {
    private static final Logger LOGGER = Logger.getLogger(Database.class.getName());

    private final String url;
    private final DbClient client;

    private Database(String url, DbClient client) {
        this.url = url;
        this.client = client;
    }

    /**
     * Migrate the database and open the pool.
     *
     * @param dbConfig    the {@code db} config node
     * @param serviceName names the default H2 file, {@code ./data/<serviceName>/db}
     * @return the database
     */
    public static Database start(Config dbConfig, String serviceName) {
        String url = dbConfig.get("url").asString().orElse(defaultUrl(serviceName));
        String user = dbConfig.get("user").asString().orElse("sa");
        String password = dbConfig.get("password").asString().orElse("");
        int poolSize = dbConfig.get("pool-size").asInt().orElse(10);

        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();

        Config clientConfig = Config.just(ConfigSources.create(Map.of(
                "source", "jdbc",
                "connection.url", url,
                "connection.username", user,
                "connection.password", password,
                "connection.maximumPoolSize", Integer.toString(poolSize),
                "connection.poolName", serviceName)));
        DbClient client = DbClient.create(clientConfig);
        LOGGER.info(() -> "Database ready at " + redact(url));
        return new Database(url, client);
    }

    /**
     * The embedded default: an H2 file in PostgreSQL mode, so the same SQL runs on both.
     *
     * @param serviceName service name
     * @return JDBC URL
     */
    public static String defaultUrl(String serviceName) {
        return "jdbc:h2:file:./data/" + serviceName + "/db" + H2_OPTIONS;
    }

    /** H2 options that make it behave like PostgreSQL for our SQL. */
    // LOCK_TIMEOUT: concurrent conditional updates of one row wait for each other instead of failing after 1 s
    public static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";

    /**
     * @return the pooled client
     */
    public DbClient client() {
        return client;
    }

    /**
     * @return the JDBC URL in use (without credentials)
     */
    public String url() {
        return redact(url);
    }

    /**
     * Readiness: the database answers a trivial query. A failure is DOWN (503), never an error (500).
     *
     * @return health check
     */
    public HealthCheck readiness() {
        return ReadinessCheck.of("database", () -> client.execute().query("SELECT 1").count() == 1);
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
