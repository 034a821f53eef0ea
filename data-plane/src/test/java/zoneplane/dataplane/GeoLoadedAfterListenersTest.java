package zoneplane.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.source.ConfigFreshness;
import zoneplane.dataplane.support.RecordingOrigin;
import zoneplane.dataplane.support.Zones;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.view.ZoneView;

/**
 * Cold start (SPEC §8): a node serves as soon as its view is loaded; the geolocation files load after
 * the listeners are bound. Until then CF-IPCountry is XX and {@code zoneplane_geo_loaded} is 0; readiness
 * does not wait for them.
 */
class GeoLoadedAfterListenersTest {

    @Test
    void theNodeServesAndIsReadyBeforeGeoLoadsThenCountriesAppear(@TempDir Path dir) throws Exception {
        // 127.0.0.1 = 2130706433 in Tor's integer notation.
        Path geoip = Files.writeString(dir.resolve("geoip"), "2130706432,2130706687,NL\n");
        Path exits = Files.writeString(dir.resolve("exits"), "192.0.2.1\n");
        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of(
                DataPlaneConfigLoader.HTTP_PORT, "0", DataPlaneConfigLoader.HTTPS_PORT, "0",
                DataPlaneConfigLoader.MANAGEMENT_PORT, "0", DataPlaneConfigLoader.NODE_ID, "TST",
                DataPlaneConfigLoader.DRAIN_TIMEOUT, "1s",
                DataPlaneConfigLoader.GEOIP_FILES, geoip.toString(),
                DataPlaneConfigLoader.TOR_EXITS_FILE, exits.toString())::get);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (RecordingOrigin origin = new RecordingOrigin()) {
            LiveZoneView view = new LiveZoneView();
            view.publish(ZoneView.of(1, List.of(Zones.zone("a.test", origin.url()).build())));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            GeoInputs geo = GeoInputs.pending();
            DataPlaneNode node = DataPlaneNode.start(config, view, new ConfigFreshness(Clock.systemUTC()),
                    geo.countries(), geo.torExits(), registry);
            try {
                geo.bindTo(registry);
                String base = "http://127.0.0.1:" + node.managementPort();

                assertThat(get(client, base + "/health/readiness").statusCode()).isEqualTo(200);
                assertThat(get(client, base + "/metrics").body()).contains("zoneplane_geo_loaded 0.0");
                HttpResponse<String> early = client.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.httpPort() + "/")).header("Host", "a.test").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(early.statusCode()).isEqualTo(200);
                assertThat(origin.last().header("CF-IPCountry")).isEqualTo("XX");

                geo.loadInBackground(config);

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(get(client, base + "/metrics").body()).contains("zoneplane_geo_loaded 1.0"));
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/"))
                        .header("Host", "a.test").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(origin.last().header("CF-IPCountry")).isEqualTo("NL");
            } finally {
                node.close();
                geo.close();
            }
        }
    }

    @Test
    void aMalformedGeoFileLoadedInTheBackgroundLeavesCountriesUnknownAndTheGaugeAtZero(@TempDir Path dir)
            throws Exception {
        Path geoip = Files.writeString(dir.resolve("geoip"), "this is not a geoip file\n");
        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of(
                DataPlaneConfigLoader.GEOIP_FILES, geoip.toString())::get);
        GeoInputs geo = GeoInputs.pending();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        geo.bindTo(registry);

        geo.loadInBackground(config);

        // The loader thread ends either way; the exit list (none configured) is in, the countries are not.
        await().atMost(Duration.ofSeconds(10)).until(() -> geo.torExits().toString().contains("NoTorExitList"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !geo.loaded().getAsBoolean());
        assertThat(geo.countries().countryOf(java.net.InetAddress.getByName("127.0.0.1"))).isEqualTo("XX");
        assertThat(registry.scrape()).contains("zoneplane_geo_loaded 0.0");
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
