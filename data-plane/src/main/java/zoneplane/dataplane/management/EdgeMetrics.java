package zoneplane.dataplane.management;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.model.Plan;

/**
 * The node's request and config metrics (SPEC §5.9). Prometheus names:
 * <ul>
 *   <li>{@code zoneplane_edge_requests_total{zone,status}}: requests answered, per zone name and status;
 *       the first {@code ZONEPLANE_METRICS_ZONE_LIMIT} zones (1000) to get a request have their own label,
 *       the requests of any zone after them count as {@value #OTHER_ZONES}, so a node holding 100,000 zones
 *       exports a bounded number of series (per-zone traffic at that scale is analytics, not Prometheus)</li>
 *   <li>{@code zoneplane_edge_request_duration_seconds{status_class}}: latency histogram (2xx … 5xx)</li>
 *   <li>{@code zoneplane_edge_websockets_active{plan}}: WebSocket connections being proxied, by zone plan</li>
 *   <li>{@code zoneplane_edge_config_revision}: revision of the view being served</li>
 *   <li>{@code zoneplane_edge_zones}: zones in the view</li>
 * </ul>
 * How current the view is comes from the subscriber ({@code zoneplane_config_staleness_seconds}, seconds
 * since the control plane was last heard from): a node serving a snapshot file has no such measure.
 * Per-request recording is a lock-free map lookup and two increments; meters are created once per
 * zone and status.
 */
public final class EdgeMetrics {

    /**
     * The latency histogram's buckets: from the edge's own sub-millisecond overhead to the origin
     * response timeout. Explicit (17 per status class) rather than Micrometer's percentile histogram
     * (94 per class, 470 series): enough for SLOs and quantile estimates.
     */
    public static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(120)};

    /** The zone tag of requests that matched no zone (or never got that far). */
    public static final String NO_ZONE = "_none";
    /** The zone tag of the requests of zones beyond the label limit. */
    public static final String OTHER_ZONES = "_other";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter[]> requestsByZone = new ConcurrentHashMap<>();
    private final int zoneLimit;
    private final Timer[] latencyByClass = new Timer[6];
    private final AtomicInteger[] activeWebSockets = new AtomicInteger[Plan.values().length];

    public EdgeMetrics(MeterRegistry registry, LiveZoneView view, int zoneLimit) {
        this.registry = registry;
        this.zoneLimit = zoneLimit;
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            latencyByClass[statusClass] = Timer.builder("zoneplane.edge.request.duration")
                    .description("Time from request to the end of the response, as the edge saw it")
                    .tag("status_class", statusClass + "xx")
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
        }
        for (Plan plan : Plan.values()) {
            // By plan: the per-plan concurrent-connection guidance (SPEC §5.4) is read against these.
            AtomicInteger active = new AtomicInteger();
            activeWebSockets[plan.ordinal()] = active;
            Gauge.builder("zoneplane.edge.websockets.active", active, AtomicInteger::get)
                    .description("WebSocket connections currently proxied, by the zone's plan")
                    .tag("plan", plan.id())
                    .register(registry);
        }
        Gauge.builder("zoneplane.edge.config.revision", view, v -> v.current().revision())
                .description("Config revision of the zone view this node serves")
                .strongReference(true)
                .register(registry);
        Gauge.builder("zoneplane.edge.zones", view, v -> v.current().size())
                .description("Zones in the view this node serves")
                .strongReference(true)
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void recordRequest(String zone, int status, long startedNanos) {
        int code = status < 100 || status > 599 ? 599 : status;
        Counter[] counters = requestsByZone.get(zone);
        String tag = zone;
        if (counters == null) {
            // Racy by a few zones at most (concurrent first requests), which the limit tolerates.
            tag = zone.equals(NO_ZONE) || requestsByZone.size() < zoneLimit ? zone : OTHER_ZONES;
            counters = requestsByZone.computeIfAbsent(tag, z -> new Counter[600]);
        }
        Counter counter = counters[code];
        if (counter == null) {
            // Benign race: registering twice returns the same meter.
            counter = Counter.builder("zoneplane.edge.requests")
                    .description("Requests answered by the edge")
                    .tag("zone", tag)
                    .tag("status", Integer.toString(code))
                    .register(registry);
            counters[code] = counter;
        }
        counter.increment();
        latencyByClass[code / 100].record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    public void webSocketOpened(Plan plan) {
        activeWebSockets[plan.ordinal()].incrementAndGet();
    }

    public void webSocketClosed(Plan plan) {
        activeWebSockets[plan.ordinal()].decrementAndGet();
    }

    /** WebSockets proxied now, all plans together. */
    public int activeWebSockets() {
        int total = 0;
        for (AtomicInteger active : activeWebSockets) {
            total += active.get();
        }
        return total;
    }
}
