package zoneplane.system.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.model.Setting;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.Envelopes;
import zoneplane.testing.StandalonePostgres;

/**
 * The database goes back in time under a running control plane and a streaming node: PostgreSQL is
 * restored from a cold backup taken earlier (its data folder, copied while stopped). The revisions the
 * node had beyond the backup no longer exist, and the next PATCH reuses one of those numbers for a
 * different change. The node must follow the database (snapshot, then that new change), not keep its
 * newer view and skip the change as "already applied".
 */
class DatabaseRestoreTest {

    @TempDir
    Path dir;

    @Test
    void nodeFollowsADatabaseRestoredFromAnOlderBackupAndMissesNoLaterChange() throws Exception {
        Path backup = dir.resolve("backup");
        try (StandalonePostgres postgres = new StandalonePostgres(dir.resolve("pgdata"));
                EmbeddedControlPlane controlPlane = EmbeddedControlPlane.start(postgres.database());
                Subscribers.Node node = Subscribers.start(controlPlane.baseUrl(), "edge-restore", dir.resolve("cache"))) {
            ApiClient api = controlPlane.api();
            String account = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"Restore\"}")).get("id").asString();
            String zoneId = Envelopes.assertSuccess(api.post("/zones", "{\"account\":{\"id\":\"" + account
                    + "\"},\"name\":\"restore.example.com\",\"origin\":\"http://127.0.0.1:9\"}")).get("id").asString();
            patch(api, zoneId, "websockets", "off");
            long backedUp = latestRevision(api, zoneId);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.live().current().revision() == backedUp);

            postgres.stop();
            copy(postgres.dataDirectory(), backup); // the cold backup
            postgres.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.patch("/zones/" + zoneId + "/settings/websockets", "{\"value\":\"on\"}").status() == 200);
            patch(api, zoneId, "pseudo_ipv4", "add_header");
            long lost = latestRevision(api, zoneId);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.live().current().revision() == lost);
            assertThat(setting(node, Setting.WEBSOCKETS)).isEqualTo("on");

            postgres.stop();
            deleteTree(postgres.dataDirectory());
            copy(backup, postgres.dataDirectory()); // restore: the two changes after the backup are gone
            postgres.start();

            // A different change now takes the revision right after the backup's.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.patch("/zones/" + zoneId + "/settings/ip_geolocation", "{\"value\":\"off\"}").status() == 200);
            long latest = latestRevision(api, zoneId);
            assertThat(latest).isLessThan(lost);

            await().atMost(Duration.ofSeconds(60)).until(() -> node.live().current().revision() == latest);
            assertThat(setting(node, Setting.WEBSOCKETS)).isEqualTo("off");
            assertThat(setting(node, Setting.PSEUDO_IPV4)).isEqualTo("off");
            assertThat(setting(node, Setting.IP_GEOLOCATION)).isEqualTo("off");
        }
    }

    private static void patch(ApiClient api, String zoneId, String setting, String value) {
        Envelopes.assertSuccess(api.patch("/zones/" + zoneId + "/settings/" + setting, "{\"value\":\"" + value + "\"}"));
    }

    private static long latestRevision(ApiClient api, String zoneId) {
        return api.get("/zones/" + zoneId + "/propagation").result().get("latest_revision").asLong();
    }

    private static String setting(Subscribers.Node node, Setting setting) {
        return node.live().current().zone("restore.example.com")
                .map(z -> z.settings().get(setting).text())
                .orElse("absent");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                        // PostgreSQL refuses a data folder others can read (0700, as it made it).
                        Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
