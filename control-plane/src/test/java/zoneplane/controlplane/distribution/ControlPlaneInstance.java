package zoneplane.controlplane.distribution;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import zoneplane.controlplane.ControlPlaneApplication;
import zoneplane.controlplane.support.TestDatabase;

/**
 * A real control-plane application (Tomcat on a real port) on a given database, started and stopped
 * by the test itself, so tests can run two replicas on one database or kill and restart one.
 */
final class ControlPlaneInstance implements AutoCloseable {

    static final String NODE_TOKEN = "test-node-token-0123456789";
    /** The operator's bootstrap token of these instances (random per JVM; the API needs one). */
    static final String OPERATOR_TOKEN = "test-operator-token-" + java.util.UUID.randomUUID();

    private final ConfigurableApplicationContext context;

    private ControlPlaneInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts on {@code port} (0 = any free port) with test-friendly timings plus {@code extra} properties. */
    static ControlPlaneInstance start(TestDatabase.Database db, int port, Map<String, Object> extra) {
        return start(db, port, extra, new Class<?>[0]);
    }

    /** As {@link #start(TestDatabase.Database, int, Map)}, with extra configuration classes (test endpoints). */
    static ControlPlaneInstance start(TestDatabase.Database db, int port, Map<String, Object> extra, Class<?>... sources) {
        Map<String, Object> props = new HashMap<>();
        props.put("spring.datasource.url", db.url());
        props.put("spring.datasource.username", db.username());
        props.put("spring.datasource.password", db.password());
        props.put("server.port", port);
        props.put("server.address", "127.0.0.1");
        props.put("server.shutdown", "immediate");
        props.put("spring.main.banner-mode", "off");
        props.put("zoneplane.node-token", NODE_TOKEN);
        props.put("zoneplane.bootstrap-token", OPERATOR_TOKEN);
        props.put("spring.profiles.active", "loopback-tests");
        props.put("zoneplane.rate-limit.overrides.operator.requests", 100000000);
        props.put("zoneplane.distribution.heartbeat-interval", "1s");
        props.put("zoneplane.distribution.poll-interval", "2s");
        props.put("zoneplane.distribution.compaction-interval", "1h");
        props.put("zoneplane.distribution.node-dead-after", "10s");
        props.putAll(extra);
        // As command-line arguments: they outrank application.yaml (default properties would not).
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ControlPlaneApplication.class)
                .sources(sources)
                .run(args);
        return new ControlPlaneInstance(context);
    }

    static ControlPlaneInstance start(TestDatabase.Database db) {
        return start(db, 0, Map.of());
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A client of the public API calling as the operator. */
    zoneplane.controlplane.support.ApiClient api() {
        return new zoneplane.controlplane.support.ApiClient(baseUrl()).withToken(OPERATOR_TOKEN);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
