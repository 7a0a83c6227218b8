package io.example.commons.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.example.commons.testing.TestConfig;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a service acknowledges is on disk: a process killed (SIGKILL) right after its commits returned loses none
 * of them, on the default H2 settings and on a plain H2 URL that names none of them.
 */
class CommitDurabilityTest {
    private static final int ROWS = 20;

    @Test
    void everyAcknowledgedCommitSurvivesAKillRightAfterIt() throws Exception {
        String url = "jdbc:h2:file:" + Files.createTempDirectory("durable").resolve("db") + DatabaseUrl.h2Options();

        writeThenKill(url);

        assertThat(rows(url)).isEqualTo(ROWS);
    }

    @Test
    void aPlainH2FileUrlIsDurableToo() throws Exception {
        String url = "jdbc:h2:file:" + Files.createTempDirectory("durable").resolve("db");

        writeThenKill(url);

        assertThat(rows(url)).isEqualTo(ROWS);
    }

    private static void writeThenKill(String url) throws IOException, InterruptedException {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                            "-cp", System.getProperty("java.class.path"),
                                            AcknowledgingWriter.class.getName(), url, Integer.toString(ROWS))
                .redirectErrorStream(true)
                .start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                                                                             StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.equals("ack " + ROWS)) {
                    writer.destroyForcibly();
                    break;
                }
            }
        } finally {
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(output).as("the writer's output").contains("ack " + ROWS);
    }

    private static long rows(String url) {
        Database database = Database.start(TestConfig.of(Map.of("db.url", url)).get("db"), "reader");
        return database.client().execute().get("SELECT COUNT(*) AS n FROM acks")
                .map(row -> row.column("n").get(Long.class)).orElseThrow();
    }
}
