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
 * The whole path as a user sees it: a zone created and PATCHed through the real API reaches a real
 * data-plane node, wired exactly as {@code DataPlaneMain} wires it ({@code ZONEPLANE_CONTROL_PLANE_URL}
 * → {@link ViewSources}), and the node's requests to a real origin change accordingly.
 */
@TestPropertySource(properties = "zoneplane.node-token=" + EdgeAppliesPatchedSettingsTest.NODE_TOKEN)
class EdgeAppliesPatchedSettingsTest extends ControlPlaneIntegrationTest {

    static final String NODE_TOKEN = "e2e-node-token-5f0c9a";

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
                "ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "true", // the echo origin is on loopback
                "ZONEPLANE_NODE_ID", "e2e-edge",
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
    void patchedSettingsChangeWhatTheOriginReceivesThroughTheEdge() throws IOException {
        ApiClient api = api();
        String account = Envelopes.assertSuccess(api.post("/accounts", "{\"name\":\"E2E\"}")).get("id").asString();
        JsonNode zone = Envelopes.assertSuccess(api.post("/zones", "{\"account\":{\"id\":\"" + account
                + "\"},\"name\":\"e2e.example.com\",\"plan\":\"enterprise\",\"origin\":\"http://127.0.0.1:"
                + origin.port() + "\"}"));
        String zoneId = zone.get("id").asString();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("api.e2e.example.com")).startsWith("HTTP/1.1 200").containsIgnoringCase("cf-ipcountry: XX"));
        assertThat(get("e2e.example.com")).doesNotContainIgnoringCase("true-client-ip");

        ApiClient waiting = api.withHeader("Prefer", "wait=10");
        ApiClient.Response off = waiting.patch("/client/v4/zones/" + zoneId + "/settings/ip_geolocation", "{\"value\":\"off\"}");
        ApiClient.Response on = waiting.patch("/client/v4/zones/" + zoneId + "/settings/true_client_ip_header", "{\"value\":\"on\"}");

        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.header("Zoneplane-Propagation")).contains("complete");
        assertThat(on.header("Zoneplane-Propagation")).contains("complete");
        String echoed = get("e2e.example.com");
        assertThat(echoed).doesNotContainIgnoringCase("cf-ipcountry").containsIgnoringCase("true-client-ip: 127.0.0.1");

        Envelopes.assertSuccess(api.delete("/zones/" + zoneId));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("e2e.example.com")).startsWith("HTTP/1.1 404"));

        // With no further change, heartbeats and node reports keep the node's config fresh: after two
        // quiet seconds its staleness drops back below one second.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> freshness.secondsSinceFresh() < 1.0);
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
