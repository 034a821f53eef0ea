package zoneplane.system;

import zoneplane.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import zoneplane.testing.RecordingOrigin;
import zoneplane.testing.TcpRelay;

/**
 * The whole system on loopback: a restartable PostgreSQL, two control-plane JVMs on it, two
 * data-plane JVMs (each behind its own {@link TcpRelay} to both control planes) and a
 * {@link RecordingOrigin}. Child output goes to {@code target/system-logs/<process>.log}.
 * {@link #close()} stops everything (SIGTERM, then SIGKILL after a grace period), also after a failure.
 */
final class SystemHarness implements AutoCloseable {

    /** Where raw-socket tests reach a node: IPv6 loopback (nodes listen dual-stack on {@code ::}). */
    static final String EDGE_HOST = "::1";
    static final Duration CONTROL_PLANE_START = Duration.ofSeconds(150);
    static final Duration NODE_START = Duration.ofSeconds(60);

    /** Environment of every node beyond what {@link EdgeNodeProcess} sets (scenario-wide timeouts). */
    static final Map<String, String> NODE_ENV = Map.of(
            // Slow clients (slowloris, scenario 4) are cut after 2 s instead of the 10 s / 30 s defaults.
            "ZONEPLANE_REQUEST_HEADER_TIMEOUT", "2s",
            "ZONEPLANE_REQUEST_BODY_TIMEOUT", "2s");

    private final String suite;
    private final Path dataDir;
    private final Path logDir;
    private final String operatorToken = secret();
    private final String nodeToken = secret();
    private final List<ControlPlaneProcess> controlPlanes = new ArrayList<>();
    private final List<TcpRelay> relays = new ArrayList<>();
    private final List<EdgeNodeProcess> nodes = new ArrayList<>();
    private final List<EdgeNodeProcess> extraNodes = new ArrayList<>();
    private final Map<String, TcpRelay> extraRelays = new HashMap<>();
    private RecordingOrigin origin;
    private RestartablePostgres postgres;

    private SystemHarness(String suite) {
        this.suite = suite;
        Path target = Path.of("target").toAbsolutePath();
        this.dataDir = target.resolve("system-data").resolve(suite + "-" + System.currentTimeMillis());
        this.logDir = target.resolve("system-logs");
    }

    /** Starts everything, or stops what had started and throws (with the failing process's log). */
    static SystemHarness start(String suite) {
        SystemHarness harness = new SystemHarness(suite);
        try {
            harness.startAll();
            return harness;
        } catch (RuntimeException | IOException e) {
            harness.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private void startAll() throws IOException {
        // A PostgreSQL left running by an earlier, SIGKILLed run would hold its port and memory forever.
        for (Path reaped : LeftoverRuns.reap(dataDir.getParent())) {
            System.out.println("stopped what a dead run left in " + reaped);
        }
        LeftoverRuns.claim(dataDir);
        Files.createDirectories(logDir);
        origin = new RecordingOrigin();
        postgres = new RestartablePostgres(dataDir.resolve(LeftoverRuns.PGDATA), Ports.free()).start();
        List<Integer> cpPorts = List.of(Ports.free(), Ports.free());
        for (int i = 0; i < cpPorts.size(); i++) {
            controlPlanes.add(new ControlPlaneProcess("control-plane-" + (i + 1), cpPorts.get(i), postgres.jdbcUrl(),
                    operatorToken, nodeToken, Map.of(), dataDir.resolve("cp" + (i + 1)), logDir));
        }
        // Flyway's advisory lock lets both replicas migrate the empty database concurrently.
        controlPlanes.forEach(ControlPlaneProcess::start);
        controlPlanes.forEach(cp -> cp.awaitReady(CONTROL_PLANE_START));
        String[] ids = {"edge-a", "edge-b"};
        for (int i = 0; i < ids.length; i++) {
            TcpRelay relay = new TcpRelay(ids[i], cpPorts);
            relays.add(relay);
            nodes.add(new EdgeNodeProcess(ids[i], relay.url(), nodeToken, NODE_ENV, dataDir, logDir));
        }
        nodes.forEach(EdgeNodeProcess::start);
        nodes.forEach(n -> n.awaitReady(NODE_START));
    }

    /**
     * Brings back whatever an earlier scenario stopped: PostgreSQL, control planes, nodes (started
     * again with their disk cache), cut relays; extra nodes are stopped. Then waits until all are ready.
     */
    void ensureHealthy() {
        if (!postgres.running()) {
            postgres.start();
        }
        relays.forEach(TcpRelay::restore);
        extraNodes.forEach(n -> n.process().terminate(Duration.ofSeconds(10)));
        extraNodes.clear();
        for (ControlPlaneProcess cp : controlPlanes) {
            if (!cp.process().alive()) {
                cp.start();
            }
        }
        for (EdgeNodeProcess node : nodes) {
            if (!node.process().alive()) {
                node.start();
            }
        }
        controlPlanes.forEach(cp -> cp.awaitReady(CONTROL_PLANE_START));
        nodes.forEach(n -> n.awaitReady(NODE_START));
    }

    /**
     * Starts one more node (e.g. with PROXY protocol on) subscribed through a relay of its own; it is
     * stopped by the next {@link #ensureHealthy()} or {@link #close()}.
     */
    EdgeNodeProcess startExtraNode(String nodeId, Map<String, String> env) throws IOException {
        TcpRelay relay = new TcpRelay(nodeId, List.of(controlPlanes.get(0).port(), controlPlanes.get(1).port()));
        relays.add(relay);
        extraRelays.put(nodeId, relay);
        Map<String, String> all = new HashMap<>(NODE_ENV);
        all.putAll(env);
        EdgeNodeProcess node = new EdgeNodeProcess(nodeId, relay.url(), nodeToken, all, dataDir, logDir);
        extraNodes.add(node);
        node.start();
        node.awaitReady(NODE_START);
        return node;
    }

    /**
     * Starts one more node given every control-plane replica's URL directly
     * ({@code ZONEPLANE_CONTROL_PLANE_URL=http://…:p1,http://…:p2}, no relay: the node itself fails
     * over); stopped by the next {@link #ensureHealthy()} or {@link #close()}.
     */
    EdgeNodeProcess startExtraNodeOnAllReplicas(String nodeId, Map<String, String> env) {
        List<String> urls = new ArrayList<>();
        controlPlanes.forEach(cp -> urls.add(cp.baseUrl()));
        Map<String, String> all = new HashMap<>(NODE_ENV);
        all.putAll(env);
        EdgeNodeProcess node = new EdgeNodeProcess(nodeId, String.join(",", urls), nodeToken, all, dataDir, logDir);
        extraNodes.add(node);
        node.start();
        node.awaitReady(NODE_START);
        return node;
    }

    /** The relay of a node started by {@link #startExtraNode} (cut it to take the control planes away from that node). */
    TcpRelay extraRelay(String nodeId) {
        return extraRelays.get(nodeId);
    }

    RecordingOrigin origin() {
        return origin;
    }

    RestartablePostgres postgres() {
        return postgres;
    }

    ControlPlaneProcess controlPlane(int index) {
        return controlPlanes.get(index);
    }

    EdgeNodeProcess node(int index) {
        return nodes.get(index);
    }

    List<EdgeNodeProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** The relay between node {@code index} and the control planes (cut it to partition the node). */
    TcpRelay relay(int index) {
        return relays.get(index);
    }

    /** An API client of the first control plane that is running. */
    ApiClient api() {
        for (ControlPlaneProcess cp : controlPlanes) {
            if (cp.process().alive()) {
                return cp.api();
            }
        }
        throw new IllegalStateException("no control plane is running");
    }

    List<ManagedProcess> processes() {
        List<ManagedProcess> all = new ArrayList<>();
        controlPlanes.forEach(cp -> all.add(cp.process()));
        nodes.forEach(n -> all.add(n.process()));
        extraNodes.forEach(n -> all.add(n.process()));
        return all;
    }

    /** Every process's log tail, for a failure report. */
    String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ManagedProcess p : processes()) {
            out.append("\n----- ").append(p.name()).append(" (").append(p.log()).append(") -----\n")
                    .append(p.logTail(lines)).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        // SIGTERM to all at once (they drain in parallel), then SIGKILL whatever is left after the grace.
        processes().forEach(ManagedProcess::signalTerminate);
        processes().forEach(p -> p.awaitStopped(Duration.ofSeconds(15)));
        relays.forEach(TcpRelay::close);
        if (origin != null) {
            origin.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                // best effort: the data folder is removed below either way
            }
        }
        deleteQuietly(dataDir);
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // leftovers under target/ are removed by mvn clean
        }
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "system " + suite;
    }
}
