package zoneplane.dataplane.support;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import zoneplane.dataplane.DataPlaneNode;
import zoneplane.dataplane.GeoInputs;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.usage.ExchangeListener;
import zoneplane.dataplane.source.ConfigFreshness;
import zoneplane.dataplane.source.SnapshotFileSource;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.view.ZoneView;
import zoneplane.model.ZoneConfig;
import zoneplane.model.wire.SnapshotWriter;

/**
 * Starts a real recording origin and a real data-plane node (all listeners on port 0) for a test
 * class. The node boots from a snapshot file this extension writes with {@link SnapshotWriter}, exactly
 * as {@code ZONEPLANE_SNAPSHOT_FILE} does in production. Register as a static field:
 * <pre>{@code
 * @RegisterExtension
 * static ProxyExtension edge = ProxyExtension.zones(origin -> List.of(Zones.zone("a.test", origin.url()).build()));
 * }</pre>
 */
public final class ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    private final Function<RecordingOrigin, List<ZoneConfig>> zones;
    private final Map<String, String> env = new HashMap<>();
    private final FakeGeo.Countries countries = new FakeGeo.Countries();
    private final FakeGeo.TorExits torExits = new FakeGeo.TorExits();
    private boolean realGeo;
    private Clock clock = Clock.systemUTC();
    private final List<ExchangeListener> listeners = new java.util.ArrayList<>();
    private GeoInputs geo;
    private RecordingOrigin origin;
    private DataPlaneNode node;
    private LiveZoneView view;
    private Path dir;
    private HttpClient client;

    private ProxyExtension(Function<RecordingOrigin, List<ZoneConfig>> zones) {
        this.zones = zones;
    }

    public static ProxyExtension zones(Function<RecordingOrigin, List<ZoneConfig>> zones) {
        return new ProxyExtension(zones);
    }

    /** Sets a configuration variable (e.g. {@code ZONEPLANE_TRUSTED_PROXIES}) for the node. */
    public ProxyExtension env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The clock the node's usage accounting closes minutes by (a {@link MutableClock} crosses them at will). */
    public ProxyExtension clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Another listener of every exchange the node finishes (a test that reads the records themselves). */
    public ProxyExtension listener(ExchangeListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Uses the production geolocation loaders ({@link GeoInputs#load}) on the configured files instead of fakes. */
    public ProxyExtension realGeo() {
        this.realGeo = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        origin = new RecordingOrigin();
        dir = Files.createTempDirectory("zoneplane-edge-test");
        Path snapshot = dir.resolve("snapshot.json");
        writeSnapshot(snapshot, 1, zones.apply(origin));
        Map<String, String> values = new HashMap<>();
        values.put(DataPlaneConfigLoader.HTTP_PORT, "0");
        values.put(DataPlaneConfigLoader.HTTPS_PORT, "0");
        values.put(DataPlaneConfigLoader.MANAGEMENT_PORT, "0");
        values.put(DataPlaneConfigLoader.NODE_ID, "TST");
        values.put(DataPlaneConfigLoader.SNAPSHOT_FILE, snapshot.toString());
        values.put(DataPlaneConfigLoader.DRAIN_TIMEOUT, "1s");
        values.put(DataPlaneConfigLoader.ORIGIN_RESPONSE_TIMEOUT, "2s");
        values.put(DataPlaneConfigLoader.ORIGIN_CONNECT_TIMEOUT, "2s");
        values.put(DataPlaneConfigLoader.CACHE_DIR, dir.resolve("cache").toString());
        values.putAll(env);
        DataPlaneConfig config = DataPlaneConfigLoader.load(values::get);
        view = new LiveZoneView();
        ConfigFreshness freshness = new ConfigFreshness(Clock.systemUTC());
        new SnapshotFileSource(config.snapshotFile().orElseThrow()).start(view, freshness);
        if (realGeo) {
            geo = GeoInputs.load(config);
        }
        node = DataPlaneNode.start(config, view, freshness, realGeo ? geo.countries() : countries,
                realGeo ? geo.torExits() : torExits, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock, listeners);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (node != null) {
            node.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (geo != null) {
            geo.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static void writeSnapshot(Path file, long revision, List<ZoneConfig> zones) {
        try (OutputStream out = Files.newOutputStream(file); SnapshotWriter writer = new SnapshotWriter(out, revision)) {
            zones.forEach(writer::write);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes a new view (next revision) where {@code changed} replace the zones of the same name. */
    public void publish(ZoneConfig... changed) {
        ZoneView current = view.current();
        Map<String, ZoneConfig> byName = new LinkedHashMap<>();
        current.forEach(z -> byName.put(z.name(), z));
        for (ZoneConfig zone : changed) {
            byName.put(zone.name(), zone);
        }
        view.publish(ZoneView.of(current.revision() + 1, new ArrayList<>(byName.values())));
    }

    public RecordingOrigin origin() {
        return origin;
    }

    public DataPlaneNode node() {
        return node;
    }

    public FakeGeo.Countries countries() {
        return countries;
    }

    public FakeGeo.TorExits torExits() {
        return torExits;
    }

    public int httpPort() {
        return node.httpPort();
    }

    /** {@code http://127.0.0.1:port/path}, or {@code http://[::1]:port/path} for an IPv6 visitor. */
    public URI uri(String path, boolean ipv6) {
        return URI.create("http://" + (ipv6 ? "[::1]" : "127.0.0.1") + ":" + httpPort() + path);
    }

    /** A request builder to the edge for {@code host} (the Host header is allowed by surefire's config). */
    public HttpRequest.Builder request(String host, String path, boolean ipv6) {
        return HttpRequest.newBuilder(uri(path, ipv6)).timeout(Duration.ofSeconds(20)).header("Host", host);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String host, String path) {
        return send(request(host, path, false).GET());
    }

    /**
     * GETs {@code prefix + i} of {@code host} for i in [0, count), each answered 200, and returns their
     * {@code cf-ray} headers in order (the RayIDs their log records carry).
     */
    public List<String> rays(String host, String prefix, int count) {
        List<String> rays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = get(host, prefix + i);
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + prefix + i + " of " + host + " answered " + response.statusCode());
            }
            rays.add(response.headers().firstValue("cf-ray").orElseThrow());
        }
        return rays;
    }

    public HttpClient client() {
        return client;
    }

    /** The sum of every series of the node's Prometheus metric {@code name} (0 when it has none). */
    public double metric(String name) throws IOException, InterruptedException {
        String text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
