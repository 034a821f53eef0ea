package zoneplane.dataplane.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.config.DataPlaneEndpoints;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;
import zoneplane.model.ZoneConfig;

/**
 * The per-zone request counter is capped: past {@code ZONEPLANE_METRICS_ZONE_LIMIT} zones, requests of
 * further zones count under {@code zone="_other"}, so series stay bounded and totals stay right.
 */
class ZoneSeriesLimitTest {

    private static final int LIMIT = 3;
    private static final int ZONES = 8;

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> {
        List<ZoneConfig> zones = new ArrayList<>();
        for (int i = 0; i < ZONES; i++) {
            zones.add(Zones.zone("z" + i + ".limit.test", origin.url()).build());
        }
        return zones;
    }).env(DataPlaneConfigLoader.METRICS_ZONE_LIMIT, Integer.toString(LIMIT));

    @Test
    void zonesBeyondTheLimitAreCountedTogetherAsOther() {
        for (int i = 0; i < ZONES; i++) {
            edge.get("z" + i + ".limit.test", "/");
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = scrape();
            List<String> series = metrics.lines().filter(l -> l.startsWith("zoneplane_edge_requests_total{")).toList();
            assertThat(series).hasSize(LIMIT + 1);
            for (int i = 0; i < LIMIT; i++) {
                assertThat(metrics).contains("zoneplane_edge_requests_total{status=\"200\",zone=\"z" + i + ".limit.test\"} 1.0");
            }
            assertThat(metrics).contains("zoneplane_edge_requests_total{status=\"200\",zone=\"_other\"} " + (ZONES - LIMIT) + ".0");
        });
    }

    private static String scrape() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edge.node().managementPort() + DataPlaneEndpoints.METRICS_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }
}
