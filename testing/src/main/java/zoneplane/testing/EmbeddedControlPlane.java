package zoneplane.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real control-plane application (Tomcat on a real loopback port, port 0 by default) on a given
 * database, started and stopped by the test itself, so tests can run two replicas on one database or
 * kill and restart one. It answers the operator's {@link #OPERATOR_TOKEN} and the nodes'
 * {@link #NODE_TOKEN}, with test-friendly timings (1 s heartbeats) and the operator's rate limit out
 * of the way; profile {@code loopback-tests} (this module's {@code application-loopback-tests.properties})
 * allows loopback origins.
 *
 * <p>The application is {@value #APPLICATION}, loaded from the caller's class path: this module does
 * not depend on the control plane, so that the control plane's own tests can use it.
 */
public final class EmbeddedControlPlane implements AutoCloseable {

    /** The control plane's Spring Boot application class. */
    public static final String APPLICATION = "zoneplane.controlplane.ControlPlaneApplication";
    /** The shared secret data-plane nodes present to these instances. */
    public static final String NODE_TOKEN = "test-node-token-0123456789";
    /** The operator's bootstrap token of these instances (random per JVM; the API needs one). */
    public static final String OPERATOR_TOKEN = "test-operator-token-" + UUID.randomUUID();

    private final ConfigurableApplicationContext context;

    private EmbeddedControlPlane(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts on {@code port} (0 = any free port) with test-friendly timings plus {@code extra} properties. */
    public static EmbeddedControlPlane start(TestDatabase.Database db, int port, Map<String, Object> extra) {
        return start(db, port, extra, new Class<?>[0]);
    }

    /** As {@link #start(TestDatabase.Database, int, Map)}, with extra configuration classes (test endpoints). */
    public static EmbeddedControlPlane start(TestDatabase.Database db, int port, Map<String, Object> extra,
            Class<?>... sources) {
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
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application())
                .sources(sources)
                .run(args);
        return new EmbeddedControlPlane(context);
    }

    /** On a fresh database of the tests' PostgreSQL, any free port, test-friendly timings. */
    public static EmbeddedControlPlane start() {
        return start(TestDatabase.newDatabase());
    }

    public static EmbeddedControlPlane start(TestDatabase.Database db) {
        return start(db, 0, Map.of());
    }

    /** The control plane's application class, from the caller's class path. */
    public static Class<?> application() {
        try {
            return Class.forName(APPLICATION);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(APPLICATION + " is not on the class path: the test module needs the"
                    + " control plane (its plain jar or target/classes, not the repackaged -exec jar)", e);
        }
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A client of the public API calling as the operator. */
    public ApiClient api() {
        return new ApiClient(baseUrl()).withToken(OPERATOR_TOKEN);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return "EmbeddedControlPlane{" + (context.isActive() ? baseUrl() : "closed") + "}";
    }
}
