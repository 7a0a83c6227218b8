package io.example.commons.db;

import io.example.commons.testing.TestDatabases;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A transaction one of whose statements failed is rolled back whole, the rollback the code then calls succeeds, and
 * its connection is back in the pool (on PostgreSQL, where a failed statement aborts the transaction).
 */
class FailedTransactionTest {
    private static final int POOL_SIZE = 2;
    private static TestDatabases.Postgres postgres;
    private static DbClient db;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        db = postgres.database("failed-transactions", POOL_SIZE, Database.SharedSchema.OUTBOX).client();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void aFailedStatementRollsItsTransactionBackAndFreesItsConnection() {
        // more transactions than the pool has connections: a connection kept by a failed one would block the last
        for (int i = 0; i < POOL_SIZE + 1; i++) {
            DbTransaction tx = db.transaction();
            tx.dml("INSERT INTO outbox (event_id, topic, event_type, aggregate_type, aggregate_id, data, occurred_at)"
                           + " VALUES (?, 't', 'e', 'a', 'id', '{}', 0)", "event-" + i);
            // event_id is NOT NULL
            assertThatThrownBy(() -> tx.dml("INSERT INTO outbox (event_id, topic) VALUES (?, 't')", (Object) null))
                    .isNotNull();
            tx.rollback();
        }

        assertThat(db.execute().query("SELECT seq FROM outbox").count()).isZero();
    }
}
