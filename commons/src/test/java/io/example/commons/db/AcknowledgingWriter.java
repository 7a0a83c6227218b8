package io.example.commons.db;

import java.util.Map;

import io.example.commons.testing.TestConfig;

/**
 * Run in its own JVM by {@link CommitDurabilityTest}: opens a database through {@link Database}, commits rows one
 * by one and prints {@code ack N} after each commit returns, then waits to be killed.
 */
public final class AcknowledgingWriter {
    private AcknowledgingWriter() {
    }

    /**
     * @param args JDBC URL, number of rows
     * @throws InterruptedException never in practice: the test kills this process
     */
    public static void main(String[] args) throws InterruptedException {
        Database database = Database.start(TestConfig.of(Map.of("db.url", args[0])).get("db"), "writer");
        database.client().execute().dml("CREATE TABLE IF NOT EXISTS acks (n INTEGER PRIMARY KEY)");
        for (int n = 1; n <= Integer.parseInt(args[1]); n++) {
            database.client().execute().dml("INSERT INTO acks (n) VALUES (?)", n);
            System.out.println("ack " + n);
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
