package zoneplane.dataplane;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import zoneplane.dataplane.config.ConfigException;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
import zoneplane.dataplane.logging.NodeLogging;
import zoneplane.dataplane.management.JvmMeters;
import zoneplane.dataplane.source.ConfigFreshness;
import zoneplane.dataplane.source.ViewSource;
import zoneplane.dataplane.source.ViewSources;
import zoneplane.dataplane.view.LiveZoneView;

/**
 * Starts a data-plane node from environment variables / system properties (see
 * {@link DataPlaneConfigLoader} for the names) and runs until SIGTERM, which drains it gracefully.
 * Exit status 2 means invalid configuration, 1 that the node could not start.
 */
public final class DataPlaneMain {

    private static final Logger log = LoggerFactory.getLogger(DataPlaneMain.class);

    private DataPlaneMain() {}

    /** Netty's leak-detection level property; the node's default is {@value #LEAK_DETECTION_DEFAULT}. */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    static final String LEAK_DETECTION_DEFAULT = "disabled";

    public static void main(String[] args) throws InterruptedException {
        // Before any Netty class loads. Netty's default samples buffers for leak reports and records a
        // stack trace for each sampled one, a visible share of a proxied request's CPU (bench/README.md,
        // "Figures behind the code"). The tests keep Netty's default; an operator hunting a leak sets the
        // property (JAVA_OPTS=-Dio.netty.leakDetection.level=simple), which wins.
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            System.setProperty(LEAK_DETECTION_PROPERTY, LEAK_DETECTION_DEFAULT);
        }
        // Independent of the view: loads Reactor Netty, the JDK's default TLS context and its management
        // beans on other threads while this one builds the registry and decodes the disk cache (SPEC §8
        // cold start).
        warmUpInBackground("zoneplane-warm-up", ListenerWarmUp::run);
        warmUpInBackground("zoneplane-warm-up-platform", PlatformWarmUp::run);
        DataPlaneConfig config;
        ViewSource source;
        PrometheusMeterRegistry registry = JvmMeters.newRegistry();
        try {
            config = DataPlaneConfigLoader.fromEnvironment();
            source = ViewSources.choose(config, registry);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LiveZoneView view = new LiveZoneView();
        ConfigFreshness freshness = new ConfigFreshness(Clock.systemUTC());
        GeoInputs geo;
        DataPlaneNode node;
        try {
            // Serving needs the view, not geolocation: the listeners bind as soon as the view is loaded
            // (SPEC §8 cold start) and the geo files parse afterwards, so they do not compete with the
            // view for the CPU. Until then CF-IPCountry is XX (zoneplane_geo_loaded 0).
            geo = GeoInputs.pending();
            source.start(view, freshness);
            node = DataPlaneNode.start(config, view, freshness, geo.countries(), geo.torExits(), registry);
            geo.bindTo(registry);
            geo.loadInBackground(config);
        } catch (RuntimeException e) {
            log.error("data-plane node could not start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        log.info("serving {} zones at revision {}, {} ms after the JVM started", view.current().size(),
                view.current().revision(), sinceJvmStart());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: draining for up to {}", config.drainTimeout());
            source.close();
            node.close();
            geo.close();
            NodeLogging.flushAndStop(); // the access log's last lines, before the JVM exits
            stopped.countDown();
        }, "zoneplane-shutdown"));
        // Netty's event loops are daemon threads: keep the JVM up until the shutdown hook has run.
        stopped.await();
    }

    /** Starts a warm-up on a daemon thread: it never holds the JVM up, and start-up never waits for it. */
    private static void warmUpInBackground(String name, Runnable warmUp) {
        Thread thread = new Thread(warmUp, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Binds a throwaway Reactor Netty server on a loopback port chosen by the OS, sends it one request
     * over a plain socket and disposes it, on a daemon thread. What it leaves behind is what the real
     * listeners then find ready: Netty's and Reactor Netty's classes loaded and initialised (the first
     * bind is a large part of a cold start: bench/README.md, "Figures behind the code") and the HTTP/1.1 request and response path run once. It runs
     * on Reactor Netty's shared loops, which afterwards serve only the management listener: the proxy
     * listeners have their own ({@code EdgeEventLoops}), so only classes, not threads, carry over. It never touches the node's ports, view or registry, and a failure only
     * costs the time it would have saved (logged at debug). The listeners still bind only once the view
     * is loaded, so a visitor never meets a node that answers 404 for want of its cache.
     */
    static final class ListenerWarmUp {

        private static final Duration LIMIT = Duration.ofSeconds(5);
        private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: warm-up.invalid\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);

        private ListenerWarmUp() {}

        /** Runs the warm-up; returns the status line of the round trip (for tests), or null if it failed. */
        static String run() {
            long started = System.nanoTime();
            DisposableServer server = null;
            try {
                server = HttpServer.create()
                        .bindAddress(() -> new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                        .handle((req, res) -> res.status(204).send())
                        .bindNow(LIMIT);
                String status = roundTrip((InetSocketAddress) server.address());
                log.debug("listener warm-up done in {} ms ({})", Duration.ofNanos(System.nanoTime() - started).toMillis(), status);
                return status;
            } catch (IOException | RuntimeException e) {
                log.debug("listener warm-up skipped: {}", e.toString());
                return null;
            } finally {
                if (server != null) {
                    server.disposeNow(LIMIT);
                }
            }
        }

        private static String roundTrip(InetSocketAddress address) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) LIMIT.toMillis());
                socket.setSoTimeout((int) LIMIT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(REQUEST);
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder line = new StringBuilder();
                for (int c = in.read(); c >= 0 && c != '\r' && line.length() < 100; c = in.read()) {
                    line.append((char) c);
                }
                return line.toString();
            }
        }
    }

    /**
     * Initialises, on a daemon thread, two JDK facilities the start-up path needs and that cost a cold
     * JVM hundreds of milliseconds each: the default TLS context (the control-plane client's
     * {@code java.net.http.HttpClient} creates it, parsing the CA certificates, on its first request,
     * right after the disk cache is published) and the platform management beans (the JVM meters bind to them before the
     * listeners bind). Both are JVM-wide singletons built once under the JDK's own locks: whichever
     * thread comes first builds them and the other waits or finds them ready, so nothing is done twice.
     */
    static final class PlatformWarmUp {

        private PlatformWarmUp() {}

        /** Runs the warm-up; returns what it initialised (for tests). */
        static List<String> run() {
            try {
                String tls = SSLContext.getDefault().getProtocol();
                int pools = ManagementFactory.getMemoryPoolMXBeans().size();
                int collectors = ManagementFactory.getGarbageCollectorMXBeans().size();
                ManagementFactory.getThreadMXBean();
                ManagementFactory.getClassLoadingMXBean();
                ManagementFactory.getOperatingSystemMXBean();
                ManagementFactory.getRuntimeMXBean();
                return List.of("tls " + tls, pools + " memory pools", collectors + " collectors");
            } catch (NoSuchAlgorithmException | RuntimeException e) {
                log.debug("platform warm-up skipped: {}", e.toString());
                return List.of();
            }
        }
    }

    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis())
                .orElse(-1L);
    }
}
