package zoneplane.controlplane.edge;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import reactor.netty.DisposableServer;
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
 * A real data-plane node fed by the control plane under test, wired exactly as {@code DataPlaneMain}
 * wires it ({@code ZONEPLANE_CONTROL_PLANE_URL} → {@link ViewSources}), and a real echo origin.
 */
final class TestEdge implements AutoCloseable {

    private final DisposableServer origin;
    private final ViewSource source;
    private final DataPlaneNode node;
    private final GeoInputs geo;
    private final ConfigFreshness freshness;

    TestEdge(int controlPlanePort, String nodeToken, String nodeId, Path cache) {
        origin = EchoOrigin.start("127.0.0.1", 0);
        DataPlaneConfig config = DataPlaneConfigLoader.load(Map.of(
                "ZONEPLANE_CONTROL_PLANE_URL", "http://127.0.0.1:" + controlPlanePort,
                "ZONEPLANE_NODE_TOKEN", nodeToken,
                "ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "true", // the echo origin is on loopback
                "ZONEPLANE_NODE_ID", nodeId,
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

    /** The echo origin's port: it answers with the request line and headers it received. */
    int originPort() {
        return origin.port();
    }

    ConfigFreshness freshness() {
        return freshness;
    }

    /** One HTTP/1.1 request through the edge over a raw socket (the JDK client will not send a Host of our choosing). */
    String get(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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
        origin.disposeNow();
    }
}
