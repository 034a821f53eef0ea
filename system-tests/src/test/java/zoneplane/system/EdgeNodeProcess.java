package zoneplane.system;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import zoneplane.testing.RecordingOrigin;
import zoneplane.testing.TcpRelay;

/**
 * One data-plane node as its own JVM ({@code zoneplane.dataplane.DataPlaneMain}), configured by the
 * environment variables of {@code DataPlaneConfigLoader}. It listens on {@code ::1} only (loopback; every
 * visitor of the suite is an IPv6 visitor, which makes {@code pseudo_ipv4} observable) and subscribes to
 * the control plane through its own {@link TcpRelay}.
 */
final class EdgeNodeProcess {

    static final String MAIN = "zoneplane.dataplane.DataPlaneMain";

    private final String nodeId;
    private final ManagedProcess process;
    private final int httpPort;
    private final int managementPort;

    EdgeNodeProcess(String nodeId, String controlPlaneUrl, String nodeToken, Map<String, String> extraEnv,
            Path dataDir, Path logDir) {
        this.nodeId = nodeId;
        this.httpPort = Ports.free();
        this.managementPort = Ports.free();
        Map<String, String> env = new HashMap<>();
        env.put("ZONEPLANE_CONTROL_PLANE_URL", controlPlaneUrl);
        env.put("ZONEPLANE_NODE_TOKEN", nodeToken);
        env.put("ZONEPLANE_NODE_ID", nodeId);
        env.put("ZONEPLANE_CACHE_DIR", dataDir.resolve(nodeId + "-cache").toString());
        env.put("ZONEPLANE_BIND_ADDRESS", "::1");
        env.put("ZONEPLANE_HTTP_PORT", Integer.toString(httpPort));
        env.put("ZONEPLANE_HTTPS_PORT", Integer.toString(Ports.free()));
        env.put("ZONEPLANE_MANAGEMENT_PORT", Integer.toString(managementPort));
        // No IP-to-country data on purpose: CF-IPCountry is then always XX, whatever the machine has installed.
        env.put("ZONEPLANE_GEOIP_FILES", dataDir.resolve("no-geoip-data").toString());
        env.put("ZONEPLANE_DRAIN_TIMEOUT", "2s");
        // the system tests' origins (RecordingOrigin) listen on loopback
        env.put("ZONEPLANE_ALLOW_PRIVATE_ORIGINS", "true");
        env.putAll(extraEnv);
        this.process = new ManagedProcess(nodeId, MAIN, ManagedProcess.smallJvm("256m"), env, logDir);
    }

    String nodeId() {
        return nodeId;
    }

    ManagedProcess process() {
        return process;
    }

    int httpPort() {
        return httpPort;
    }

    /** Where visitors connect: {@code http://[::1]:<port>}. */
    String visitorBase() {
        return "http://[::1]:" + httpPort;
    }

    String managementBase() {
        return "http://[::1]:" + managementPort;
    }

    void start() {
        process.start();
    }

    boolean ready() {
        return Readiness.ok(managementBase() + "/health/readiness");
    }

    void awaitReady(Duration bound) {
        Readiness.await(process, this::ready, bound);
    }

    /** The revision of the view the node serves ({@code zoneplane_edge_config_revision}); -1 if unreadable. */
    long servedRevision() {
        try {
            return (long) NodeMetrics.sample(NodeMetrics.scrape(managementBase()), "zoneplane_edge_config_revision")
                    .orElse(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Polls the served revision every 5 ms until it reaches {@code revision}; returns the
     * {@link System#nanoTime()} it was first seen there (for measuring propagation), or -1 after {@code bound}.
     */
    long awaitServed(long revision, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (servedRevision() >= revision) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /** One sample of the node's Prometheus text; fails when the node does not export it. */
    double metric(String name) throws IOException, InterruptedException {
        return NodeMetrics.sample(NodeMetrics.scrape(managementBase()), name)
                .orElseThrow(() -> new AssertionError(nodeId + " exports no " + name));
    }

    /** The body of the node's {@code /health/details} (JSON; always 200). */
    String healthDetails() throws IOException, InterruptedException {
        return NodeMetrics.get(managementBase() + "/health/details");
    }

    /** The URL of the control-plane replica the node streams from ({@code zoneplane_config_control_plane}), if any yet. */
    java.util.Optional<String> followedControlPlane() throws IOException, InterruptedException {
        return NodeMetrics.label(NodeMetrics.scrape(managementBase()), "zoneplane_config_control_plane", "url");
    }

    @Override
    public String toString() {
        return nodeId + " " + visitorBase();
    }
}
