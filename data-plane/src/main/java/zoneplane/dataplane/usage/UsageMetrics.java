package zoneplane.dataplane.usage;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The usage pipeline's meters on the node's management registry. Counts are of zone-minutes (one zone's
 * traffic in one minute, the unit the control plane stores); the names leave out "minutes" because
 * promtool reads it as a time unit ("use base unit seconds").
 * <ul>
 *   <li>{@code zoneplane_edge_usage_shipped_total}: zone-minutes the control plane acknowledged</li>
 *   <li>{@code zoneplane_edge_usage_ship_failures_total}: usage POSTs that failed (error or non-2xx)</li>
 *   <li>{@code zoneplane_edge_usage_dropped_total}: zone-minutes the spool's bounds dropped</li>
 *   <li>{@code zoneplane_edge_usage_spool_bytes}: bytes waiting in the spool</li>
 *   <li>{@code zoneplane_edge_usage_oldest_unshipped_seconds}: age of the oldest unshipped minute (0: none)</li>
 * </ul>
 */
final class UsageMetrics {

    private UsageMetrics() {}

    static void bind(MeterRegistry registry, UsageShipper shipper, UsageSpool spool) {
        FunctionCounter.builder("zoneplane.edge.usage.shipped", shipper, UsageShipper::shipped)
                .description("Zone-minutes of usage the control plane acknowledged")
                .register(registry);
        FunctionCounter.builder("zoneplane.edge.usage.ship.failures", shipper, UsageShipper::failures)
                .description("Usage shipments that failed (an error or a non-2xx answer)")
                .register(registry);
        FunctionCounter.builder("zoneplane.edge.usage.dropped", spool, UsageSpool::dropped)
                .description("Zone-minutes of usage dropped by the spool's size or age bound, oldest first")
                .register(registry);
        Gauge.builder("zoneplane.edge.usage.spool", spool, UsageSpool::bytes)
                .description("Bytes of closed usage minutes spooled on disk, not yet acknowledged")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("zoneplane.edge.usage.oldest.unshipped", spool, UsageSpool::oldestAgeSeconds)
                .description("Age of the oldest usage minute not yet acknowledged by the control plane (0: none)")
                .baseUnit("seconds")
                .register(registry);
    }
}
