package zoneplane.controlplane.distribution;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of config distribution ({@code zoneplane.distribution.*}; environment variables such as
 * {@code ZONEPLANE_DISTRIBUTION_HEARTBEAT_INTERVAL=5s}).
 *
 * @param heartbeatInterval how often an idle change stream carries a heartbeat line
 * @param pollInterval fallback re-read of the latest revision when no NOTIFY arrived (NOTIFY is the main path)
 * @param streamLifetime a change stream is closed after this long (nodes resume from their revision);
 *     bounds how long one replica keeps a node and lets load rebalance after a deploy
 * @param streamWorkers threads that write to all change streams (bounded, shared: no thread per node)
 * @param tailSize recent changes kept in memory so a wake-up serves every stream with one query
 * @param snapshotFetchSize rows per cursor fetch while streaming a snapshot
 * @param retainRevisions compaction keeps at least this many latest revisions
 * @param retainFor compaction keeps changes younger than this, whatever their number
 * @param compactionInterval how often compaction runs
 * @param nodeDeadAfter a node not seen for this long is no longer live (propagation ignores it)
 * @param nodeForgetAfter a node not seen for this long is removed from the registry by compaction
 * @param maxPreferWait cap on {@code Prefer: wait=<seconds>}
 */
@ConfigurationProperties("zoneplane.distribution")
public record DistributionProperties(
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("15m") Duration streamLifetime,
        @DefaultValue("4") int streamWorkers,
        @DefaultValue("4096") int tailSize,
        @DefaultValue("1000") int snapshotFetchSize,
        @DefaultValue("100000") long retainRevisions,
        @DefaultValue("24h") Duration retainFor,
        @DefaultValue("5m") Duration compactionInterval,
        @DefaultValue("60s") Duration nodeDeadAfter,
        @DefaultValue("7d") Duration nodeForgetAfter,
        @DefaultValue("30s") Duration maxPreferWait) {

    public DistributionProperties {
        requirePositive(heartbeatInterval, "heartbeat-interval");
        requirePositive(pollInterval, "poll-interval");
        requirePositive(streamLifetime, "stream-lifetime");
        requirePositive(compactionInterval, "compaction-interval");
        requirePositive(nodeDeadAfter, "node-dead-after");
        requirePositive(nodeForgetAfter, "node-forget-after");
        if (maxPreferWait.isNegative() || retainFor.isNegative()) {
            throw new IllegalArgumentException("zoneplane.distribution durations must not be negative");
        }
        if (streamWorkers < 1 || tailSize < 1 || snapshotFetchSize < 1 || retainRevisions < 0) {
            throw new IllegalArgumentException("zoneplane.distribution: stream-workers, tail-size and "
                    + "snapshot-fetch-size must be positive, retain-revisions not negative");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("zoneplane.distribution." + name + " must be positive");
        }
    }
}
