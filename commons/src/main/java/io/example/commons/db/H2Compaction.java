package io.example.commons.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Keeps an H2 file compact, as H2's background writer would: with {@code WRITE_DELAY=0} ({@link DatabaseUrl})
 * H2 runs no background writer, so nothing rewrote the chunks that only a few live pages keep alive, and the
 * file grew by every commit (after two minutes of placing orders: 3,800 chunks at 5% fill, 550 MB). Once a
 * second, while the file is less than {@value #TARGET_FILL_RATE}% live, the live pages of the emptiest chunks
 * (at most {@value #MAX_REWRITE_BYTES} bytes a round) are written again, so the old chunks can be freed once
 * H2's retention time (45 s by default) has passed. A round holds H2's store lock, as a commit does.
 */
final class H2Compaction {
    private static final Logger LOGGER = Logger.getLogger(H2Compaction.class.getName());
    private static final int TARGET_FILL_RATE = 50;
    private static final int MAX_REWRITE_BYTES = 1 << 20;
    private static final Duration PERIOD = Duration.ofSeconds(1);

    private H2Compaction() {
    }

    /**
     * Compact the H2 database at {@code url} in the background for as long as it is open.
     *
     * @param url      a checked H2 URL
     * @param user     user
     * @param password password
     */
    static void start(String url, String user, String password) {
        // never interrupted: an interrupt during a write closes an H2 file database
        Thread.ofPlatform().daemon().name("h2-compaction").start(() -> run(url, user, password));
    }

    private static void run(String url, String user, String password) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            // the connection keeps the embedded database open, and leads to the store it holds
            MVStore store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession())
                    .getDatabase().getStore().getMvStore();
            while (!store.isClosed()) {
                Thread.sleep(PERIOD);
                if (store.compact(TARGET_FILL_RATE, MAX_REWRITE_BYTES)) {
                    // the rewritten pages are in memory until stored: a file nobody writes to would keep them there
                    store.commit();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            // the store closed under a round (the process is stopping), or H2 refused: the file only grows again
            LOGGER.log(Level.FINE, "H2 compaction stopped", e);
        }
    }
}
