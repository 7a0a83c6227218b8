package io.example.commons.tracing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.dbclient.DbClientService;
import io.helidon.dbclient.DbClientServiceContext;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A CLIENT span for every statement run through the DB client, child of the trace the calling thread works for
 * ({@link CurrentTrace}; the client runs a statement on the calling thread). Named and described the
 * OpenTelemetry way from the SQL text ({@link SqlSummary}): {@code db.query.text} is the parameterised SQL, never
 * a parameter's value. Statements outside any trace (a relay polling its outbox) make no span.
 *
 * <p>The span ends when the client completes the statement's result: a query when its rows were read, a
 * DML statement when it returned its count. The client never completes a statement that throws, so the
 * connections of {@link #watch}ed pools report it: a statement still open when its connection is closed (a
 * statement of its own) or rolled back (a transaction's) failed, and its span ends with status ERROR then.
 *
 * <p>Statements run on every request, so each distinct SQL text is read once (a bounded cache), and a span that
 * is not recorded (tracing off, a trace not sampled) is not followed to its end.
 */
public final class StatementSpans implements DbClientService {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
    private static final AttributeKey<String> QUERY = AttributeKey.stringKey("db.query.text");
    // the statement this thread runs whose end has not been seen yet
    private static final ThreadLocal<Running> RUNNING = new ThreadLocal<>();

    private final Cache<String, SqlSummary> summaries = Caffeine.newBuilder().maximumSize(500).build();

    @Override
    public DbClientServiceContext statement(DbClientServiceContext context) {
        Optional<Context> parent = CurrentTrace.context();
        if (parent.isEmpty()) {
            return context;
        }
        String sql = context.statement();
        SqlSummary summary = summaries.get(sql, SqlSummary::of);
        Span span = Tracing.current().startSpan(parent.get(), summary.spanName(), SpanKind.CLIENT, builder -> {
            builder.setAttribute(SYSTEM, system(context.dbType()))
                    .setAttribute(OPERATION, summary.operation())
                    .setAttribute(QUERY, sql);
            summary.table().ifPresent(table -> builder.setAttribute(COLLECTION, table));
        });
        if (span.isRecording()) {
            Running running = new Running(span);
            RUNNING.set(running);
            context.resultFuture().whenComplete((count, error) -> running.end(error != null));
        }
        return context;
    }

    /**
     * A pool whose connections tell this service when a statement failed (see above).
     *
     * @param pool the pool the client would use
     * @return the same pool, watched
     */
    public JdbcConnectionPool watch(JdbcConnectionPool pool) {
        return new WatchedPool(pool);
    }

    // the client names the database by its JDBC URL's scheme: jdbc:h2, jdbc:postgresql
    private static String system(String dbType) {
        return dbType.startsWith("jdbc:") ? dbType.substring("jdbc:".length()) : dbType;
    }

    private static void failIfRunning() {
        Running running = RUNNING.get();
        if (running != null) {
            running.end(true);
        }
    }

    private static final class Running {
        private final Span span;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Running(Span span) {
            this.span = span;
        }

        private void end(boolean failed) {
            if (RUNNING.get() == this) {
                RUNNING.remove();
            }
            if (ended.compareAndSet(false, true)) {
                if (failed) {
                    // the client does not hand the exception on: only that the statement failed is known
                    SpanOutcomes.failed(span, "_OTHER", "the statement failed");
                }
                span.end();
            }
        }
    }

    private record WatchedPool(JdbcConnectionPool pool) implements JdbcConnectionPool {
        @Override
        public Connection connection() {
            Connection connection;
            try {
                connection = pool.connection();
            } catch (RuntimeException e) {
                failIfRunning();
                throw e;
            }
            return (Connection) Proxy.newProxyInstance(StatementSpans.class.getClassLoader(),
                                                       new Class<?>[] {Connection.class},
                                                       (proxy, method, args) -> {
                if (args == null && ("close".equals(method.getName()) || "rollback".equals(method.getName()))) {
                    failIfRunning();
                }
                try {
                    return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }

        @Override
        public String dbType() {
            return pool.dbType();
        }

        @Override
        public String name() {
            return pool.name();
        }

        @Override
        public String type() {
            return pool.type();
        }
    }
}
