package zoneplane.dataplane.subscriber;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The subscriber's meters (Prometheus names in brackets):
 * applied revision [{@code zoneplane_config_applied_revision}], latest revision heard of
 * [{@code zoneplane_config_latest_revision}], lag [{@code zoneplane_config_revision_lag}], seconds
 * since the control plane was last heard from [{@code zoneplane_config_staleness_seconds}], zones in
 * the view [{@code zoneplane_config_zones}], reconnects [{@code zoneplane_config_reconnects_total}],
 * snapshots taken [{@code zoneplane_config_snapshots_total}], changes applied
 * [{@code zoneplane_config_changes_applied_total}].
 */
final class SubscriberMetrics {

    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong latest = new AtomicLong();
    private final AtomicLong zones = new AtomicLong();
    private volatile long lastContactNanos = System.nanoTime();
    final Counter reconnects;
    final Counter snapshots;
    final Counter changesApplied;

    SubscriberMetrics(MeterRegistry registry) {
        Gauge.builder("zoneplane.config.applied.revision", applied, AtomicLong::get)
                .description("Config revision of the zone view this node serves").register(registry);
        Gauge.builder("zoneplane.config.latest.revision", latest, AtomicLong::get)
                .description("Newest config revision the control plane announced").register(registry);
        Gauge.builder("zoneplane.config.revision.lag", this, m -> Math.max(0, m.latest.get() - m.applied.get()))
                .description("Revisions announced but not yet applied").register(registry);
        Gauge.builder("zoneplane.config.staleness", this, SubscriberMetrics::secondsSinceContact).baseUnit("seconds")
                .description("Seconds since the control plane was last heard from").register(registry);
        Gauge.builder("zoneplane.config.zones", zones, AtomicLong::get)
                .description("Zones in the served view").register(registry);
        reconnects = Counter.builder("zoneplane.config.reconnects")
                .description("Change-stream connections lost or refused and retried").register(registry);
        snapshots = Counter.builder("zoneplane.config.snapshots")
                .description("Snapshots taken from the control plane").register(registry);
        changesApplied = Counter.builder("zoneplane.config.changes.applied")
                .description("Changes applied to the view").register(registry);
    }

    void applied(long revision, int zoneCount) {
        applied.set(revision);
        latest.accumulateAndGet(revision, Math::max);
        zones.set(zoneCount);
    }

    void announced(long revision) {
        latest.accumulateAndGet(revision, Math::max);
    }

    void contact() {
        lastContactNanos = System.nanoTime();
    }

    double secondsSinceContact() {
        return (System.nanoTime() - lastContactNanos) / 1e9;
    }
}
