package io.example.commons.tracing;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.example.commons.db.Database;
import io.example.commons.testing.RecordedSpans;
import io.example.commons.testing.TestDatabases;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Statements through a real DB client (H2, as the services build it) are spans of the trace they run for, named
 * and described from the parameterised SQL, ended when done, and ERROR when they fail.
 */
class StatementSpansTest {
    private static final String SECRET = "value-never-in-a-span";
    private static RecordedSpans spans;
    private static DbClient db;

    @BeforeAll
    static void start() {
        spans = RecordedSpans.start();
        db = TestDatabases.h2("statement-spans", Database.SharedSchema.OUTBOX).client();
    }

    @AfterAll
    static void stop() {
        spans.close();
    }

    @BeforeEach
    void forget() {
        spans.clear();
    }

    @Test
    void aQueryIsAChildOfTheCurrentSpanNamedByItsTableWithoutValues() {
        Span parent = Tracing.current().tracer().spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            assertThat(db.execute().query("SELECT event_id FROM outbox WHERE topic = ?", SECRET).count()).isZero();
        } finally {
            parent.end();
        }

        SpanData statement = spans.await(named("SELECT outbox"));
        assertThat(statement.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(statement.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(statement.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
        assertThat(statement.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("h2");
        assertThat(statement.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("SELECT");
        assertThat(statement.getAttributes().get(AttributeKey.stringKey("db.collection.name"))).isEqualTo("outbox");
        assertThat(statement.getAttributes().get(AttributeKey.stringKey("db.query.text")))
                .isEqualTo("SELECT event_id FROM outbox WHERE topic = ?");
        assertThat(statement.getAttributes().asMap().values()).noneMatch(value -> value.toString().contains(SECRET));
        assertThat(statement.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void statementsOfATransactionEndAndAFailedOneIsAnError() {
        Span parent = Tracing.current().tracer().spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            DbTransaction tx = db.transaction();
            assertThat(tx.dml("UPDATE outbox SET topic = ? WHERE seq < 0", SECRET)).isZero();
            // event_id is NOT NULL
            assertThatThrownBy(() -> tx.dml("INSERT INTO outbox (event_id, topic) VALUES (?, ?)", null, SECRET))
                    .isNotNull();
            tx.rollback();
        } finally {
            parent.end();
        }

        SpanData update = spans.await(named("UPDATE outbox"));
        assertThat(update.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        SpanData failed = spans.await(named("INSERT outbox"));
        assertThat(failed.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.hasEnded()).isTrue();
    }

    @Test
    void aFailedStatementOfItsOwnIsAnErrorOnceItsConnectionIsBack() {
        Span parent = Tracing.current().tracer().spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            assertThatThrownBy(() -> db.execute().dml("DELETE FROM no_such_table WHERE id = ?", SECRET)).isNotNull();
            assertThat(db.execute().get("SELECT COUNT(*) AS n FROM outbox")).isPresent();
        } finally {
            parent.end();
        }

        assertThat(spans.await(named("DELETE no_such_table")).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(spans.await(named("SELECT outbox")).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aStatementOutsideAnyTraceMakesNoSpan() {
        assertThat(db.execute().query("SELECT event_id FROM outbox").count()).isZero();
        Span marker = Tracing.current().tracer().spanBuilder("marker").startSpan();
        marker.end();

        spans.await(named("marker"));
        assertThat(spans.all().stream().filter(named("SELECT outbox")).toList()).isEmpty();
    }

    private static Predicate<SpanData> named(String name) {
        return span -> span.getName().equals(name);
    }

    static Stream<Arguments> statements() {
        return Stream.of(
                arguments("SELECT id, name FROM products WHERE id = ?", "SELECT products", Optional.of("products")),
                arguments("select stock from products where id = ?", "SELECT products", Optional.of("products")),
                arguments("  INSERT INTO outbox (a) VALUES (?)", "INSERT outbox", Optional.of("outbox")),
                arguments("UPDATE products SET stock = stock + ? WHERE id = ?", "UPDATE products", Optional.of("products")),
                arguments("DELETE FROM outbox WHERE seq IN (?, ?)", "DELETE outbox", Optional.of("outbox")),
                arguments("SELECT name FROM outbox_relay_lock WHERE name = 'relay' FOR UPDATE SKIP LOCKED",
                          "SELECT outbox_relay_lock", Optional.of("outbox_relay_lock")),
                arguments("SELECT * FROM public.\"orders\" o", "SELECT public.orders", Optional.of("public.orders")),
                arguments("SELECT 1", "SELECT", Optional.empty()),
                arguments("SELECT n FROM (SELECT 1 AS n) t", "SELECT", Optional.empty()),
                arguments("SHOW fsync", "SHOW", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void aStatementIsNamedByItsOperationAndTable(String sql, String name, Optional<String> table) {
        SqlSummary summary = SqlSummary.of(sql);
        assertThat(summary.spanName()).isEqualTo(name);
        assertThat(summary.table()).isEqualTo(table);
    }
}
