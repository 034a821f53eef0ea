package zoneplane.dataplane.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneEndpoints;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;

class ManagementServerTest {

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
            Zones.zone("metrics.test", origin.url()).build(),
            Zones.zone("noorigin.test", "").build()));

    private static HttpResponse<String> management(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edge.node().managementPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessAndReadinessAreUpOnceTheSnapshotIsLoaded() throws Exception {
        assertThat(management(DataPlaneEndpoints.LIVENESS_PATH).statusCode()).isEqualTo(200);
        assertThat(management(DataPlaneEndpoints.READINESS_PATH).statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusShowsRequestsByZoneAndStatusLatencyRevisionAndStaleness() throws Exception {
        edge.get("metrics.test", "/");
        edge.get("metrics.test", "/");
        edge.get("noorigin.test", "/");
        edge.get("unknown.example", "/");

        // The edge counts a request when its exchange completes, which may be just after the client
        // has read the response: wait (bounded) for the counts rather than race them.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> metrics = management(DataPlaneEndpoints.METRICS_PATH);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                .contains("zoneplane_edge_requests_total{status=\"200\",zone=\"metrics.test\"} 2.0")
                .contains("zoneplane_edge_requests_total{status=\"530\",zone=\"noorigin.test\"} 1.0")
                .contains("zoneplane_edge_requests_total{status=\"404\",zone=\"_none\"} 1.0")
                .contains("zoneplane_edge_request_duration_seconds_bucket{status_class=\"2xx\"")
                .contains("zoneplane_edge_websockets_active{plan=\"free\"} 0.0")
                .contains("zoneplane_edge_websockets_active{plan=\"enterprise\"} 0.0")
                .contains("zoneplane_edge_config_revision 1.0")
                .contains("zoneplane_edge_zones 2.0")
                // One meter per fact: the subscriber's twins of these (and the view-wide staleness,
                // meaningless for a snapshot file) are gone.
                .doesNotContain("zoneplane_config_applied_revision", "zoneplane_config_zones",
                        "zoneplane_edge_config_staleness");
        });
    }

    @Test
    void theJvmsOwnMetersAreThereWithActuatorsNames() throws Exception {
        String body = management(DataPlaneEndpoints.METRICS_PATH).body();

        assertThat(body)
                .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"\\} [0-9.E]+")
                .contains("jvm_threads_live_threads")
                .contains("process_cpu_usage")
                .contains("process_uptime_seconds");
    }

    @Test
    void theServedRevisionStaysANumberAfterAGarbageCollection() throws Exception {
        System.gc();

        assertThat(management(DataPlaneEndpoints.METRICS_PATH).body())
                .containsPattern("zoneplane_edge_config_revision [0-9.]+\n");
    }

    @Test
    void unknownManagementPathIs404() throws Exception {
        assertThat(management("/nope").statusCode()).isEqualTo(404);
    }
}
