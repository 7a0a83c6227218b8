package io.example.commons.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.example.commons.testing.TestConfig;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {
    @Test
    void theDirectoryOfAnH2FileIsTheOneItsServiceMustCreate() {
        assertThat(DatabaseUrl.h2Directory("jdbc:h2:file:./data/some-service/db;WRITE_DELAY=0"))
                .contains(Path.of("./data/some-service"));
        assertThat(DatabaseUrl.h2Directory("jdbc:h2:/data/db")).contains(Path.of("/data"));
        assertThat(DatabaseUrl.h2Directory("jdbc:h2:~/shop/db"))
                .contains(Path.of(System.getProperty("user.home"), "shop"));
        assertThat(DatabaseUrl.h2Directory("jdbc:h2:file:db")).isEmpty();
        // H2 itself or another machine keeps these
        assertThat(DatabaseUrl.h2Directory("jdbc:h2:tcp://db:9092/./data/db")).isEmpty();
        assertThat(DatabaseUrl.h2Directory("jdbc:h2:nio:/data/db")).isEmpty();
    }

    @Test
    void theLocalDefaultUrlHasNoWriteDelay() {
        // the form of db.url in every service's application.yaml
        assertThat(DatabaseUrl.checked("jdbc:h2:file:./data/some-service/db")).contains(";WRITE_DELAY=0");
    }

    @Test
    void aPlainH2UrlGetsEverySettingTheServicesNeed() {
        assertThat(DatabaseUrl.checked("jdbc:h2:file:/data/db"))
                .isEqualTo("jdbc:h2:file:/data/db" + DatabaseUrl.h2Options());
    }

    @Test
    void settingsTheUrlAlreadyNamesAreKeptAndNotRepeated() {
        assertThat(DatabaseUrl.checked("jdbc:h2:file:/data/db;mode=postgresql;CIPHER=AES"))
                .startsWith("jdbc:h2:file:/data/db;mode=postgresql;CIPHER=AES;")
                .doesNotContain("MODE=PostgreSQL")
                .contains(";WRITE_DELAY=0");
    }

    @Test
    void aDefaultTheUrlNamesIsKeptWhateverItsValue() {
        assertThat(DatabaseUrl.checked("jdbc:h2:file:/data/db;QUERY_CACHE_SIZE=16"))
                .contains(";QUERY_CACHE_SIZE=16")
                .doesNotContain("QUERY_CACHE_SIZE=64");
    }

    @Test
    void aWriteDelayIsRefusedWithTheReason() {
        assertThatThrownBy(() -> DatabaseUrl.checked("jdbc:h2:file:/data/db;WRITE_DELAY=500"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WRITE_DELAY=500")
                .hasMessageContaining("needs WRITE_DELAY=0")
                .hasMessageContaining("before it is acknowledged");
    }

    @Test
    void anotherCaseFoldingIsRefused() {
        assertThatThrownBy(() -> DatabaseUrl.checked("jdbc:h2:file:/data/db;DATABASE_TO_LOWER=FALSE"))
                .hasMessageContaining("needs DATABASE_TO_LOWER=TRUE");
    }

    @Test
    void anInMemoryDatabaseIsRefused() {
        assertThatThrownBy(() -> DatabaseUrl.checked("jdbc:h2:mem:orders"))
                .hasMessageContaining("in-memory");
    }

    @Test
    void anotherDatabaseIsRefused() {
        assertThatThrownBy(() -> DatabaseUrl.checked("jdbc:mysql://admin:secret@db/orders"))
                .hasMessageContaining("jdbc:postgresql: or a jdbc:h2:")
                .hasMessageContaining("jdbc:mysql:")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aPostgresUrlIsUsedAsGiven() {
        assertThat(DatabaseUrl.checked("jdbc:postgresql://db:5432/orders?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/orders?sslmode=require");
    }

    @Test
    void aServiceOnAPlainH2FileUrlReadsItsColumnsByName() throws Exception {
        Database database = Database.start(TestConfig.of(Map.of(
                "db.url", "jdbc:h2:file:" + Files.createTempDirectory("plain").resolve("db"))).get("db"), "plain");
        database.client().execute().dml("CREATE TABLE items (id VARCHAR(10) PRIMARY KEY, name VARCHAR(10))");
        database.client().execute().dml("INSERT INTO items (id, name) VALUES ('a', 'apple')");

        String name = database.client().execute().get("SELECT id, name FROM items WHERE id = 'a'")
                .map(row -> row.column("name").get(String.class)).orElseThrow();

        assertThat(name).isEqualTo("apple");
    }
}
