package zoneplane.system;

import zoneplane.testing.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import zoneplane.testing.RecordingOrigin;

/**
 * One control-plane replica as its own JVM ({@code zoneplane.controlplane.ControlPlaneApplication}),
 * configured only through environment variables as an operator would, on a fixed loopback port so
 * that a restart comes back where the relays expect it.
 */
final class ControlPlaneProcess {

    static final String MAIN = "zoneplane.controlplane.ControlPlaneApplication";

    private final ManagedProcess process;
    private final int port;
    private final String operatorToken;

    ControlPlaneProcess(String name, int port, String jdbcUrl, String operatorToken, String nodeToken,
            Map<String, String> extraEnv, Path dataDir, Path logDir) {
        this.port = port;
        this.operatorToken = operatorToken;
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_DATASOURCE_URL", jdbcUrl);
        env.put("SPRING_DATASOURCE_USERNAME", RestartablePostgres.USER);
        env.put("SPRING_DATASOURCE_PASSWORD", RestartablePostgres.PASSWORD);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("SPRING_MAIN_BANNER_MODE", "off");
        env.put("ZONEPLANE_DATA_DIR", dataDir.toString());
        env.put("ZONEPLANE_BOOTSTRAP_TOKEN", operatorToken);
        env.put("ZONEPLANE_NODE_TOKEN", nodeToken);
        // The scenarios send thousands of calls with the operator token: the per-token limit is not under test.
        env.put("ZONEPLANE_RATE_LIMIT_ENABLED", "false");
        // the system tests' origins (RecordingOrigin) listen on loopback
        env.put("ZONEPLANE_ORIGINS_ALLOW_PRIVATE", "true");
        env.put("ZONEPLANE_DISTRIBUTION_HEARTBEAT_INTERVAL", "1s");
        env.put("ZONEPLANE_DISTRIBUTION_POLL_INTERVAL", "1s");
        env.put("ZONEPLANE_DISTRIBUTION_NODE_DEAD_AFTER", "45s");
        env.putAll(extraEnv);
        this.process = new ManagedProcess(name, MAIN, ManagedProcess.smallJvm("384m"), env, logDir);
    }

    ManagedProcess process() {
        return process;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    ApiClient api() {
        return new ApiClient(baseUrl() + "/client/v4").withToken(operatorToken);
    }

    /** The operator token this replica was started with (for calls outside the API, e.g. its metrics). */
    String operatorToken() {
        return operatorToken;
    }

    void start() {
        process.start();
    }

    /** A gauge of {@code /actuator/prometheus} (its first series, read with the operator token); NaN if absent. */
    double gauge(String name) throws java.io.IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(baseUrl() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + operatorToken).timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
    }

    boolean ready() {
        return Readiness.ok(baseUrl() + "/actuator/health/readiness");
    }

    void awaitReady(Duration bound) {
        Readiness.await(process, this::ready, bound);
    }
}
