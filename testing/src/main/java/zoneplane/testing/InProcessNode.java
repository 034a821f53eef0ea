package zoneplane.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import zoneplane.dataplane.DataPlaneNode;
import zoneplane.dataplane.GeoInputs;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.source.ConfigFreshness;
import zoneplane.dataplane.source.ViewSource;
import zoneplane.dataplane.source.ViewSources;
import zoneplane.dataplane.view.LiveZoneView;

/**
 * A real data-plane node in this JVM, configured by the same settings a deployed node reads from its
 * environment ({@code ZONEPLANE_*}, see {@link DataPlaneConfigLoader}) and wired exactly as
 * {@code DataPlaneMain} wires it: {@link ViewSources} chooses the control-plane subscriber when
 * {@code ZONEPLANE_CONTROL_PLANE_URL} is set, else the snapshot file. It listens on 127.0.0.1, HTTP and
 * management on ports chosen by the OS, allows loopback origins and loads no geolocation file (so
 * {@code CF-IPCountry} is {@code XX}) unless the caller's settings say otherwise.
 */
public final class InProcessNode implements AutoCloseable {

    private final ViewSource source;
    private final DataPlaneNode node;
    private final GeoInputs geo;
    private final ConfigFreshness freshness;

    private InProcessNode(Map<String, String> settings, Clock clock) {
        DataPlaneConfig config = DataPlaneConfigLoader.load(settings::get);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LiveZoneView view = new LiveZoneView();
        freshness = new ConfigFreshness(Clock.systemUTC());
        source = ViewSources.choose(config, registry);
        source.start(view, freshness);
        geo = GeoInputs.load(config);
        node = DataPlaneNode.start(config, view, freshness, geo.countries(), geo.torExits(), registry, clock);
    }

    /** A node subscribed to the control plane at {@code controlPlaneUrl}, keeping its disk cache in {@code cacheDir}. */
    public static InProcessNode subscribedTo(String controlPlaneUrl, String nodeToken, String nodeId, Path cacheDir) {
        return subscribedTo(controlPlaneUrl, nodeToken, nodeId, cacheDir, Map.of());
    }

    /** As {@link #subscribedTo(String, String, String, Path)}, with more {@code ZONEPLANE_*} settings. */
    public static InProcessNode subscribedTo(String controlPlaneUrl, String nodeToken, String nodeId, Path cacheDir,
            Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putAll(Map.of(
                "ZONEPLANE_CONTROL_PLANE_URL", controlPlaneUrl,
                "ZONEPLANE_NODE_TOKEN", nodeToken,
                "ZONEPLANE_NODE_ID", nodeId,
                "ZONEPLANE_CACHE_DIR", cacheDir.toString(),
                "ZONEPLANE_GEOIP_FILES", cacheDir.resolve("no-geoip-file").toString()));
        return launch(all);
    }

    /** A node serving the snapshot document {@code snapshotFile} (no control plane). */
    public static InProcessNode fromSnapshot(Path snapshotFile) {
        return launch(Map.of(
                "ZONEPLANE_SNAPSHOT_FILE", snapshotFile.toString(),
                "ZONEPLANE_GEOIP_FILES", snapshotFile.resolveSibling("no-geoip-file").toString()));
    }

    /** A node with these {@code ZONEPLANE_*} settings over this class's loopback defaults. */
    public static InProcessNode launch(Map<String, String> settings) {
        return launch(settings, Clock.systemUTC());
    }

    /**
     * As {@link #launch(Map)}, with usage accounting closing its minutes by {@code usageClock} (a test's
     * controllable clock moves exchanges across minute boundaries without waiting for them).
     */
    public static InProcessNode launch(Map<String, String> settings, Clock usageClock) {
        Map<String, String> all = new HashMap<>(Map.of(
                "ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "true", // test origins listen on loopback
                "ZONEPLANE_BIND_ADDRESS", "127.0.0.1",
                "ZONEPLANE_HTTP_PORT", "0",
                "ZONEPLANE_MANAGEMENT_PORT", "0"));
        all.putAll(settings);
        return new InProcessNode(all, usageClock);
    }

    public int httpPort() {
        return node.httpPort();
    }

    public int managementPort() {
        return node.managementPort();
    }

    /** The node itself (its usage pipeline, its view), for tests that look inside. */
    public DataPlaneNode node() {
        return node;
    }

    public ConfigFreshness freshness() {
        return freshness;
    }

    /** The revision of the view the node serves now (-1 before it has one). */
    public long revision() {
        return node.view().current().revision();
    }

    /** One HTTP/1.1 GET of {@code /} through the node; see {@link #get(String, String, Map)}. */
    public String get(String host) throws IOException {
        return get(host, "/", Map.of());
    }

    /**
     * One HTTP/1.1 GET through the node over a raw socket (the JDK client will not send a Host of our
     * choosing), on its own connection; returns the whole response as text.
     */
    public String get(String host, String path, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nConnection: close\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        source.close();
        node.close();
        geo.close();
    }

    @Override
    public String toString() {
        return "InProcessNode{" + source + ", http=" + node.httpPort() + "}";
    }
}
