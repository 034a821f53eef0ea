package zoneplane.system.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.testing.ApiClient;
import zoneplane.testing.Envelopes;

/**
 * The whole path as a user sees it: a zone created and PATCHed through the real API reaches a real
 * data-plane node, wired exactly as {@code DataPlaneMain} wires it ({@code ZONEPLANE_CONTROL_PLANE_URL}
 * → {@code ViewSources}), and the node's requests to a real origin change accordingly.
 */
class EdgeAppliesPatchedSettingsTest {

    @RegisterExtension
    static final EdgeExtension edge = new EdgeExtension("e2e-edge");

    @Test
    void patchedSettingsChangeWhatTheOriginReceivesThroughTheEdge() throws IOException {
        ApiClient api = edge.api();
        String zoneId = edge.createZone("e2e.example.com");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(edge.node().get("api.e2e.example.com")).startsWith("HTTP/1.1 200").containsIgnoringCase("cf-ipcountry: XX"));
        assertThat(edge.node().get("e2e.example.com")).doesNotContainIgnoringCase("true-client-ip");

        ApiClient waiting = api.withHeader("Prefer", "wait=10");
        ApiClient.Response off = waiting.patch("/client/v4/zones/" + zoneId + "/settings/ip_geolocation", "{\"value\":\"off\"}");
        ApiClient.Response on = waiting.patch("/client/v4/zones/" + zoneId + "/settings/true_client_ip_header", "{\"value\":\"on\"}");

        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.header("Zoneplane-Propagation")).contains("complete");
        assertThat(on.header("Zoneplane-Propagation")).contains("complete");
        String echoed = edge.node().get("e2e.example.com");
        assertThat(echoed).doesNotContainIgnoringCase("cf-ipcountry").containsIgnoringCase("true-client-ip: 127.0.0.1");

        Envelopes.assertSuccess(api.delete("/zones/" + zoneId));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(edge.node().get("e2e.example.com")).startsWith("HTTP/1.1 404"));

        // With no further change, heartbeats and node reports keep the node's config fresh: after two
        // quiet seconds its staleness drops back below one second.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> edge.node().freshness().secondsSinceFresh() < 1.0);
    }
}
