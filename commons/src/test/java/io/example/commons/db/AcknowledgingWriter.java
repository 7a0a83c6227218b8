package io.example.commons.db;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

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
        Database database = Database.start(Config.just(ConfigSources.create(Map.of("url", args[0]))), "writer");
        database.client().execute().dml("CREATE TABLE IF NOT EXISTS acks (n INTEGER PRIMARY KEY)");
        for (int n = 1; n <= Integer.parseInt(args[1]); n++) {
            database.client().execute().dml("INSERT INTO acks (n) VALUES (?)", n);
            System.out.println("ack " + n);
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
