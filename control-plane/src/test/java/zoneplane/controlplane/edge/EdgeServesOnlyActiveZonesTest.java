package zoneplane.controlplane.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;
import reactor.netty.DisposableServer;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.support.ApiClient;
import zoneplane.controlplane.support.ControlPlaneIntegrationTest;
import zoneplane.controlplane.support.Envelopes;
import zoneplane.dataplane.DataPlaneNode;
import zoneplane.dataplane.GeoInputs;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.demo.EchoOrigin;
import zoneplane.dataplane.source.ConfigFreshness;
import zoneplane.dataplane.source.ViewSource;
import zoneplane.dataplane.source.ViewSources;
import zoneplane.dataplane.view.LiveZoneView;

/**
 * Zone names per account as the edge sees them: a second account's pending zone of a name never
 * takes over the name another account serves, even when it is changed, and after the operator's
 * activation check the edge serves the new holder's origin (the moved zone is withdrawn). Real API,
 * real data-plane node wired as {@code DataPlaneMain} wires it, real origin.
 */
@TestPropertySource(properties = "zoneplane.node-token=" + EdgeServesOnlyActiveZonesTest.NODE_TOKEN)
class EdgeServesOnlyActiveZonesTest extends ControlPlaneIntegrationTest {

    static final String NODE_TOKEN = "e2e-node-token-active-zones-3b1d";

    @TempDir
    Path cache;

    private DisposableServer origin;
    private ViewSource source;
    private DataPlaneNode node;
    private GeoInputs geo;
    private ConfigFreshness freshness;

    @BeforeEach
    void startEdge() {
        origin = EchoOrigin.start("127.0.0.1", 0);
        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of(
                "ZONEPLANE_CONTROL_PLANE_URL", "http://127.0.0.1:" + port,
                "ZONEPLANE_NODE_TOKEN", NODE_TOKEN,
                "ZONEPLANE_NODE_ID", "e2e-edge-active",
                "ZONEPLANE_CACHE_DIR", cache.toString(),
                "ZONEPLANE_BIND_ADDRESS", "127.0.0.1",
                "ZONEPLANE_HTTP_PORT", "0",
                "ZONEPLANE_MANAGEMENT_PORT", "0",
                "ZONEPLANE_GEOIP_FILES", cache.resolve("no-geoip-file").toString())::get);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LiveZoneView view = new LiveZoneView();
        freshness = new ConfigFreshness(Clock.systemUTC());
        source = ViewSources.choose(config, registry);
        source.start(view, freshness);
        geo = GeoInputs.load(config);
        node = DataPlaneNode.start(config, view, freshness, geo.countries(), geo.torExits(), registry);
    }

    @AfterEach
    void stopEdge() {
        source.close();
        node.close();
        geo.close();
        origin.disposeNow();
    }

    @Test
    void aPendingZoneOfAServedNameIsNotServedUntilTheOperatorActivatesIt() throws IOException {
        ApiClient api = api();
        String squatter = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"First\"}")).get("id").asString();
        String owner = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"Owner\"}")).get("id").asString();
        String first = Envelopes.assertSuccess(api.post("/zones", "{\"account\":{\"id\":\"" + squatter
                + "\"},\"name\":\"shared.example.com\",\"origin\":\"http://127.0.0.1:" + origin.port() + "/first\"}"))
                .get("id").asString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("shared.example.com")).contains("GET /first"));

        ApiClient waiting = api.withHeader("Prefer", "wait=10");
        JsonNode pending = Envelopes.assertSuccess(waiting.post("/zones", "{\"account\":{\"id\":\"" + owner
                + "\"},\"name\":\"shared.example.com\",\"origin\":\"http://127.0.0.1:" + origin.port() + "/owner\"}"));
        assertThat(pending.get("status").asString()).isEqualTo("pending");
        String second = pending.get("id").asString();
        ApiClient.Response changed = waiting.patch("/client/v4/zones/" + second, "{\"paused\":false,\"origin\":\"http://127.0.0.1:"
                + origin.port() + "/owner2\"}");
        assertThat(changed.header("Zoneplane-Propagation")).contains("complete");
        assertThat(get("shared.example.com")).contains("GET /first");

        ApiClient.Response settled = waiting.put("/client/v4/zones/" + second + "/activation_check", null);
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(settled.header("Zoneplane-Propagation")).contains("complete");
        assertThat(get("shared.example.com")).contains("GET /owner2");
        assertThat(Envelopes.assertSuccess(api.get("/zones/" + first)).get("status").asString()).isEqualTo("moved");

        // deleting the moved zone does not disturb the active one
        ApiClient.Response deleted = waiting.delete("/client/v4/zones/" + first);
        assertThat(deleted.header("Zoneplane-Propagation")).contains("complete");
        assertThat(get("shared.example.com")).contains("GET /owner2");
    }

    /** One HTTP/1.1 request over a raw socket (the JDK client will not send a Host of our choosing). */
    private String get(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
