package zoneplane.system.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.model.Setting;
import zoneplane.testing.ApiClient;
import zoneplane.testing.EmbeddedControlPlane;
import zoneplane.testing.Envelopes;
import zoneplane.testing.StandalonePostgres;

/**
 * PostgreSQL itself restarts under a running control plane and a streaming node (SPEC §4): the node
 * keeps serving its view meanwhile, the control plane's LISTEN connection and pool recover, and the
 * first change after the restart reaches the node. Runs its own PostgreSQL (a fixed port and data
 * folder, so it comes back where it was), not the suite's shared one.
 */
class PostgresRestartTest {

    @TempDir
    Path dir;

    @Test
    void changesFlowAgainAfterPostgresRestartsAndTheNodeServesThroughout() throws Exception {
        try (StandalonePostgres postgres = new StandalonePostgres(dir.resolve("pgdata"));
                EmbeddedControlPlane controlPlane = EmbeddedControlPlane.start(postgres.database());
                Subscribers.Node node = Subscribers.start(controlPlane.baseUrl(), "edge-pg-restart", dir.resolve("cache"))) {
            ApiClient api = controlPlane.api();
            String account = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"Restart\"}")).get("id").asString();
            String zoneId = Envelopes.assertSuccess(api.post("/zones", "{\"account\":{\"id\":\"" + account
                    + "\"},\"name\":\"restart.example.com\",\"origin\":\"http://127.0.0.1:9\"}")).get("id").asString();
            patch(api, zoneId, "off");
            await().atMost(Duration.ofSeconds(30)).until(() -> websockets(node).equals("off"));

            postgres.stop();
            // The database is gone: the node still serves the view it has.
            assertThat(node.live().current().zone("restart.example.com")).isPresent();
            assertThat(websockets(node)).isEqualTo("off");
            postgres.start();

            // The pool hands out dead connections for a moment; the first PATCH that gets through counts.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.patch("/zones/" + zoneId + "/settings/websockets", "{\"value\":\"on\"}").status() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> websockets(node).equals("on"));
            long latest = api.get("/zones/" + zoneId + "/propagation").result().get("latest_revision").asLong();
            assertThat(node.live().current().revision()).isEqualTo(latest);
        }
    }

    private static void patch(ApiClient api, String zoneId, String value) {
        Envelopes.assertSuccess(api.patch("/zones/" + zoneId + "/settings/websockets", "{\"value\":\"" + value + "\"}"));
    }

    private static String websockets(Subscribers.Node node) {
        return node.live().current().zone("restart.example.com")
                .map(z -> z.settings().get(Setting.WEBSOCKETS).text())
                .orElse("absent");
    }
}
