package zoneplane.dataplane;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zoneplane.dataplane.config.ConfigException;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.config.DataPlaneConfigLoader;
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

    public static void main(String[] args) throws InterruptedException {
        DataPlaneConfig config;
        ViewSource source;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
            stopped.countDown();
        }, "zoneplane-shutdown"));
        // Netty's event loops are daemon threads: keep the JVM up until the shutdown hook has run.
        stopped.await();
    }

    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis())
                .orElse(-1L);
    }
}
