package zoneplane.system;

import zoneplane.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 24 item 8: what both planes expose to Prometheus passes {@code promtool check metrics}
 * (Debian's prometheus package, installed by bin/install-test-deps) as scraped from real processes
 * after real traffic, so library meters (JVM, Tomcat, Spring MVC, HikariCP) are checked as well as
 * Zoneplane's own.
 */
class PrometheusExpositionTest {

    @RegisterExtension
    static final SystemExtension system = SystemExtension.shared();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void bothPlanesScrapesPassPromtoolCheckMetrics() throws Exception {
        assumeTrue(onPath("promtool"), "promtool is not installed (Debian package prometheus; bin/install-test-deps)");
        SystemHarness sys = system.system();
        String zone = "metrics.hygiene.example.com";
        String zoneId = sys.api().createZone(zone, "enterprise", sys.origin().url());
        ApiClient.require(sys.api().patchSettings(zoneId, Map.of("websockets", "on")));
        EdgeNodeProcess node = sys.node(0);
        for (int i = 0; i < 20; i++) {
            new Visitor().get(node.visitorBase(), i % 2 == 0 ? zone : "unknown.example.com", "/hygiene/" + i);
        }
        sys.api().get("/zones/" + zoneId + "/settings");
        sys.api().get("/zones/not-a-zone-id/settings");

        ControlPlaneProcess cp = sys.controlPlane(0);
        String controlPlane = scrape(cp.baseUrl() + "/actuator/prometheus", cp.operatorToken());
        String edge = scrape(node.managementBase() + "/metrics", null);

        assertThat(controlPlane).contains("http_server_requests_seconds_bucket", "hikaricp_connections");
        assertThat(edge).contains("zoneplane_edge_requests_total", "jvm_memory_used_bytes");
        long cpSeries = series(controlPlane);
        long edgeSeries = series(edge);
        System.out.printf("promtool check metrics: control plane %d series, edge %d series%n", cpSeries, edgeSeries);
        assertThat(promtool(controlPlane)).as("promtool check metrics on the control plane's scrape").isEmpty();
        assertThat(promtool(edge)).as("promtool check metrics on the edge's scrape").isEmpty();
    }

    private static String scrape(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET %s", url).isEqualTo(200);
        return answer.body();
    }

    private static long series(String exposition) {
        return exposition.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }

    /** promtool's complaints about one exposition (empty when it has none). */
    private static String promtool(String exposition) throws IOException, InterruptedException {
        Path in = Files.createTempFile("scrape", ".prom");
        try {
            Files.writeString(in, exposition, StandardCharsets.UTF_8);
            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true)
                    .redirectInput(in.toFile()).start();
            String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            return out.strip();
        } finally {
            Files.deleteIfExists(in);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
