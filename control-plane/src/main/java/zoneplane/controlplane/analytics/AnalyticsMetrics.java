package zoneplane.controlplane.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The analytics pipeline's meters ({@code zoneplane_analytics_*}): zone-minutes ingested
 * ({@code _ingested_total}), retried ones not counted again ({@code _duplicates_total}) and dropped
 * ({@code _dropped_total}; promtool reserves unit words, so no name ends in "minutes"), rows
 * written, ingest lag per node (now minus the newest minute the node shipped), rollup lag per
 * level, and zones over their plan's WebSocket volume. Node ids are operator-assigned and
 * few, so a series per node is bounded.
 */
@Component
public class AnalyticsMetrics {

    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final Counter stored;
    private final Counter duplicates;
    private final Counter unknownZone;
    private final Counter outOfRange;
    private final Counter ingestRows;
    private final Counter rollupRows;
    private final Map<String, AtomicLong> newestMinuteByNode = new ConcurrentHashMap<>();
    private final Map<Resolution, AtomicLong> rolledThrough = new ConcurrentHashMap<>();
    private final AtomicLong zonesOverVolume = new AtomicLong();

    AnalyticsMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.stored = Counter.builder("zoneplane.analytics.ingested")
                .description("Zone-minutes of edge usage stored (each node, zone and minute at most once)").register(meters);
        this.duplicates = Counter.builder("zoneplane.analytics.duplicates")
                .description("Zone-minutes a node sent again (retries) that were already stored and not counted twice").register(meters);
        this.unknownZone = Counter.builder("zoneplane.analytics.dropped").tag("reason", "unknown_zone")
                .description("Zone-minutes dropped at ingest: the zone does not exist (deleted) or the minute is outside retention").register(meters);
        this.outOfRange = Counter.builder("zoneplane.analytics.dropped").tag("reason", "out_of_range")
                .description("Zone-minutes dropped at ingest: the zone does not exist (deleted) or the minute is outside retention").register(meters);
        this.ingestRows = Counter.builder("zoneplane.analytics.rows.written").tag("stage", "ingest")
                .description("Rows written to the analytics tables, by stage").register(meters);
        this.rollupRows = Counter.builder("zoneplane.analytics.rows.written").tag("stage", "rollup")
                .description("Rows written to the analytics tables, by stage").register(meters);
        for (Resolution level : new Resolution[] {Resolution.HOUR, Resolution.DAY}) {
            AtomicLong through = new AtomicLong(clock.millis());
            rolledThrough.put(level, through);
            Gauge.builder("zoneplane.analytics.rollup.lag", through, t -> Math.max(0, clock.millis() - t.get()) / 1000.0)
                    .tag("level", level.suffix()).baseUnit("seconds")
                    .description("Seconds from the end of the latest rolled-up bucket to now, by level (1h, 1d)")
                    .register(meters);
        }
        Gauge.builder("zoneplane.analytics.websocket.volume.exceeded.zones", zonesOverVolume, AtomicLong::get)
                .description("Zones whose summed concurrent WebSocket peak stayed above their plan's expected volume in the last hour")
                .register(meters);
    }

    void ingested(String node, UsageIngest.Outcome outcome, Optional<Instant> newest) {
        stored.increment(outcome.stored());
        duplicates.increment(outcome.duplicates());
        unknownZone.increment(outcome.unknownZones());
        outOfRange.increment(outcome.outOfRange());
        ingestRows.increment(outcome.rowsWritten());
        newest.ifPresent(minute -> newestMinuteByNode.computeIfAbsent(node, this::registerLag)
                .accumulateAndGet(minute.toEpochMilli(), Math::max));
    }

    private AtomicLong registerLag(String node) {
        AtomicLong newest = new AtomicLong(0);
        Gauge.builder("zoneplane.analytics.ingest.lag", newest,
                        n -> n.get() == 0 ? 0 : Math.max(0, clock.millis() - n.get()) / 1000.0)
                .tag("node", node).baseUnit("seconds")
                .description("Seconds from the start of the newest minute a node shipped to now, by node")
                .register(meters);
        return newest;
    }

    void rolledUp(Resolution level, Instant through, long rows) {
        rollupRows.increment(rows);
        rolledThrough.get(level).set(through.toEpochMilli());
    }

    void zonesOverVolume(long zones) {
        zonesOverVolume.set(zones);
    }
}
