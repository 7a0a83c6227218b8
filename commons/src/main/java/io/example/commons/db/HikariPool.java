package io.example.commons.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The connection pool under a service's DB client: a HikariCP pool that opens its connections at once and keeps
 * them. The client needs nothing but a {@link JdbcConnectionPool}; Helidon's own Hikari module is not served for
 * the Helidon release the project runs on.
 *
 * <p>Helidon 4.5's client gives a transaction's connection back to the pool as soon as one of the transaction's
 * statements fails, and HikariCP rolls back what a connection held when it takes it back; the transaction's own
 * rollback would then fail on the closed connection (and an application's {@code catch} that rolls back would
 * throw that instead of the statement's failure). So rolling back a connection already given back does nothing:
 * its work is rolled back already.
 */
final class HikariPool implements JdbcConnectionPool {
    private final HikariDataSource dataSource;
    private final String dbType;

    /**
     * @param url      a JDBC URL {@link DatabaseUrl} accepted
     * @param user     user
     * @param password password
     * @param size     connections kept open
     * @param name     names the pool (its threads and log lines)
     */
    HikariPool(String url, String user, String password, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.setMetricsTrackerFactory(new PoolMetrics());
        this.dataSource = new HikariDataSource(config);
        // "jdbc:h2" or "jdbc:postgresql": the client hands it to its services (StatementSpans names the database by it)
        this.dbType = url.substring(0, url.indexOf(':', "jdbc:".length())).toLowerCase(Locale.ROOT);
    }

    @Override
    public Connection connection() {
        try {
            return (Connection) Proxy.newProxyInstance(HikariPool.class.getClassLoader(),
                                                       new Class<?>[] {Connection.class},
                                                       new RolledBackOnReturn(dataSource.getConnection()));
        } catch (SQLException e) {
            throw new DbClientException("No connection from the pool " + dataSource.getPoolName(), e);
        }
    }

    @Override
    public String dbType() {
        return dbType;
    }

    // a connection is used by one thread at a time, from the pool's hand-out to its return
    private static final class RolledBackOnReturn implements InvocationHandler {
        private final Connection connection;
        private boolean returned;

        private RolledBackOnReturn(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (args == null && "rollback".equals(method.getName()) && returned) {
                return null;
            }
            if (args == null && "close".equals(method.getName())) {
                returned = true;
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
