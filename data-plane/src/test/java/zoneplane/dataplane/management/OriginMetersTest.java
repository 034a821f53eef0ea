package zoneplane.dataplane.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zoneplane.dataplane.config.DataPlaneEndpoints;
import zoneplane.dataplane.support.ProxyExtension;
import zoneplane.dataplane.support.Zones;

/** The origin side of the edge's metrics, through a real node: failed connections by cause, origin response time. */
class OriginMetersTest {

    private static final int CLOSED_PORT = closedPort();

    @RegisterExtension
    static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(
            Zones.zone("up.origins.test", origin.url()).build(),
            Zones.zone("refused.origins.test", "http://127.0.0.1:" + CLOSED_PORT).build(),
            Zones.zone("nxdomain.origins.test", "http://no-such-host.invalid:80").build()));

    @Test
    void refusedAndUnresolvableOriginsAreCountedByCauseAndAnsweredOriginsAreTimed() throws Exception {
        String before = scrape();
        for (int i = 0; i < 3; i++) {
            assertThat(edge.get("up.origins.test", "/timed").statusCode()).isEqualTo(200);
        }
        assertThat(edge.get("refused.origins.test", "/").statusCode()).isBetween(502, 530);
        assertThat(edge.get("refused.origins.test", "/").statusCode()).isBetween(502, 530);
        assertThat(edge.get("nxdomain.origins.test", "/").statusCode()).isBetween(502, 530);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = scrape();
            assertThat(sample(after, "zoneplane_edge_origin_connect_errors_total{cause=\"refused\"}")
                    - sample(before, "zoneplane_edge_origin_connect_errors_total{cause=\"refused\"}")).isEqualTo(2.0);
            assertThat(sample(after, "zoneplane_edge_origin_connect_errors_total{cause=\"dns\"}")
                    - sample(before, "zoneplane_edge_origin_connect_errors_total{cause=\"dns\"}")).isEqualTo(1.0);
            assertThat(sample(after, "zoneplane_edge_origin_connect_errors_total{cause=\"prohibited\"}")).isZero();
            assertThat(sample(after, "zoneplane_edge_origin_response_seconds_count")
                    - sample(before, "zoneplane_edge_origin_response_seconds_count")).isGreaterThanOrEqualTo(3.0);
            assertThat(after).contains("zoneplane_edge_origin_response_seconds_bucket{le=\"0.001\"}");
        });
    }

    private static double sample(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    private static String scrape() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edge.node().managementPort() + DataPlaneEndpoints.METRICS_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
