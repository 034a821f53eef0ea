package zoneplane.dataplane.subscriber;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The subscriber's meters (Prometheus names in brackets; the revision and size of the view served are
 * the node's own {@code zoneplane_edge_config_revision} and {@code zoneplane_edge_zones}, in every mode):
 * latest revision heard of
 * [{@code zoneplane_config_latest_revision}], lag [{@code zoneplane_config_revision_lag}], seconds
 * since the control plane was last heard from [{@code zoneplane_config_staleness_seconds}], reconnects [{@code zoneplane_config_reconnects_total}],
 * snapshots taken [{@code zoneplane_config_snapshots_total}], changes applied
 * [{@code zoneplane_config_changes_applied_total}], changes refused (undecodable; reported to the
 * control plane) [{@code zoneplane_config_changes_refused_total}], zones held at their last good
 * config after a refused change [{@code zoneplane_config_refused_zones}]. The lag is measured
 * against the head revision the control plane's heartbeats announce, not the last line received.
 * Disk cache: failed writes [{@code zoneplane_config_cache_write_failures_total}], 1 while the last
 * write failed [{@code zoneplane_config_cache_degraded}], and, after a start from the disk cache while
 * the control plane has not answered yet, the age of the cached view
 * [{@code zoneplane_config_cache_stale_seconds}] (0 once it answered); the staleness gauge then counts
 * from when the cache was written.
 */
final class SubscriberMetrics {

    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong latest = new AtomicLong();
    private final AtomicLong zones = new AtomicLong();
    private volatile long lastContactNanos = System.nanoTime();
    final Counter reconnects;
    final Counter snapshots;
    final Counter changesApplied;
    final Counter changesRefused;
    final Counter cacheWriteFailures;
    private final AtomicLong cacheDegraded = new AtomicLong();

    SubscriberMetrics(MeterRegistry registry, RefusedChanges refused, DoubleSupplier staleCacheSeconds) {
        Gauge.builder("zoneplane.config.latest.revision", latest, AtomicLong::get)
                .description("Newest config revision the control plane announced").register(registry);
        Gauge.builder("zoneplane.config.revision.lag", this, m -> Math.max(0, m.latest.get() - m.applied.get()))
                .description("Revisions behind the control plane's head revision (from its heartbeats)").register(registry);
        Gauge.builder("zoneplane.config.staleness", this, SubscriberMetrics::secondsSinceContact).baseUnit("seconds")
                .description("Seconds since the control plane was last heard from").register(registry);
        reconnects = Counter.builder("zoneplane.config.reconnects")
                .description("Change-stream connections lost or refused and retried").register(registry);
        snapshots = Counter.builder("zoneplane.config.snapshots")
                .description("Snapshots taken from the control plane").register(registry);
        changesApplied = Counter.builder("zoneplane.config.changes.applied")
                .description("Changes applied to the view").register(registry);
        changesRefused = Counter.builder("zoneplane.config.changes.refused")
                .description("Changes the node could not decode, skipped and reported to the control plane").register(registry);
        Gauge.builder("zoneplane.config.refused.zones", refused, RefusedChanges::size)
                .description("Zones served at their last good config because a change of theirs was refused").register(registry);
        cacheWriteFailures = Counter.builder("zoneplane.config.cache.write.failures")
                .description("Disk-cache writes that failed (full or read-only directory); the node serves from memory")
                .register(registry);
        Gauge.builder("zoneplane.config.cache.degraded", cacheDegraded, AtomicLong::get)
                .description("1 while the last disk-cache write failed").register(registry);
        Gauge.builder("zoneplane.config.cache.stale", staleCacheSeconds, DoubleSupplier::getAsDouble).baseUnit("seconds")
                .description("Age of the disk-cache view served since start while the control plane has not answered; 0 once it has")
                .register(registry);
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

    /** The last contact was when the disk cache now served was written (a start from the cache). */
    void contactAt(Instant when) {
        long ago = Math.max(0, Duration.between(when, Instant.now()).toNanos());
        lastContactNanos = System.nanoTime() - ago;
    }

    void cacheDegraded(boolean degraded) {
        cacheDegraded.set(degraded ? 1 : 0);
    }

    double secondsSinceContact() {
        return (System.nanoTime() - lastContactNanos) / 1e9;
    }
}
