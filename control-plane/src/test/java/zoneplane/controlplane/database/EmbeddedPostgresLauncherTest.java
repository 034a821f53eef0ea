package zoneplane.controlplane.database;

import static org.assertj.core.api.Assertions.assertThat;
import static zoneplane.testing.Envelopes.assertSuccess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.ControlPlaneApplication;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Fixtures;

/**
 * The local run's database: a control plane started as {@code main} starts it, with no database URL,
 * serves on an embedded PostgreSQL in its data directory, sizes its pool to the CPUs it shares with it,
 * and stops that database when it closes, so the next start finds the same zones.
 */
class EmbeddedPostgresLauncherTest {

    static final String OPERATOR_TOKEN = "test-operator-token-" + UUID.randomUUID();

    @TempDir
    Path dataDir;

    @Test
    void withoutADatabaseUrlItServesFromAnEmbeddedDatabaseThatOutlivesARestart() {
        String zone;
        try (ConfigurableApplicationContext first = start()) {
            ApiClient api = client(first);
            zone = new Fixtures(api).zoneId("free");
            assertSuccess(api.patch("/zones/" + zone + "/settings/websockets", "{\"value\":\"off\"}"));
            assertThat(poolMaximum(api)).isEqualTo(2 * Runtime.getRuntime().availableProcessors() + 1);
        }
        // Stopped with the context (PostgreSQL removes its pid file on a clean stop), so it can start again.
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        try (ConfigurableApplicationContext second = start()) {
            JsonNode setting = assertSuccess(client(second).get("/zones/" + zone + "/settings/websockets"));
            assertThat(setting.get("value").asString()).isEqualTo("off");
        }
    }

    @Test
    void anExplicitPoolSizeWinsOverTheEmbeddedDefault() {
        try (ConfigurableApplicationContext context = start("--zoneplane.database.pool-size=3")) {
            assertThat(poolMaximum(client(context))).isEqualTo(3);
        }
    }

    private ConfigurableApplicationContext start(String... extra) {
        SpringApplication app = new SpringApplication(ControlPlaneApplication.class);
        app.addListeners(new EmbeddedPostgresLauncher());
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--zoneplane.data-dir=" + dataDir,
                "--zoneplane.bootstrap-token=" + OPERATOR_TOKEN,
                // As the local profile does: the fixtures' origin is on loopback.
                "--zoneplane.origins.allow-private=true"));
        args.addAll(List.of(extra));
        return app.run(args.toArray(String[]::new));
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new ApiClient("http://127.0.0.1:" + port).withToken(OPERATOR_TOKEN);
    }

    /** The pool's size as the operator sees it: Actuator's {@code hikaricp.connections.max}. */
    private static int poolMaximum(ApiClient api) {
        ApiClient.Response metric = api.get("/actuator/metrics/hikaricp.connections.max");
        assertThat(metric.status()).as(metric.body()).isEqualTo(200);
        return metric.json().get("measurements").get(0).get("value").asInt();
    }
}
