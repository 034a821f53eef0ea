package zoneplane.dataplane.usage;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Usage accounting and shipping settings ({@code ZONEPLANE_USAGE_*}, read by {@code DataPlaneConfigLoader}).
 *
 * @param enabled whether exchanges are accounted at all ({@code ZONEPLANE_USAGE_ENABLED}, default true)
 * @param targets where closed minutes go: {@code ZONEPLANE_USAGE_URL}, else the control-plane replicas;
 *     empty (a node serving a snapshot file) means accounting runs and nothing is shipped
 * @param spoolMaxBytes the spool's size bound ({@code ZONEPLANE_USAGE_SPOOL_MAX_BYTES}, 256 MiB)
 * @param spoolMaxAge the oldest minute the spool keeps ({@code ZONEPLANE_USAGE_SPOOL_MAX_AGE}, 24 h)
 * @param groupLimit dimension tuples per zone-minute before host and content type fold to "other"
 *     ({@code ZONEPLANE_USAGE_GROUP_LIMIT}, 1000)
 * @param batchMinutes zone-minutes per shipment at most ({@code ZONEPLANE_USAGE_BATCH_MINUTES}, 5000)
 * @param maxReportBytes JSON bytes per POST at most, before gzip ({@code ZONEPLANE_USAGE_MAX_REPORT_KB}, 4096 KiB):
 *     a larger shipment is split, so a node with many zones stays under the control plane's
 *     {@code zoneplane.analytics.max-report-size} (8 MB decompressed)
 * @param retryMin first retry ceiling ({@code ZONEPLANE_USAGE_RETRY_MIN}, 1 s)
 * @param retryMax the retry ceiling's bound ({@code ZONEPLANE_USAGE_RETRY_MAX}, 60 s)
 */
public record UsageSettings(boolean enabled, List<URI> targets, long spoolMaxBytes, Duration spoolMaxAge,
        int groupLimit, int batchMinutes, long maxReportBytes, Duration retryMin, Duration retryMax) {

    public static final UsageSettings DEFAULTS = new UsageSettings(true, List.of(), 256L << 20, Duration.ofHours(24),
            1000, 5000, 4096L << 10, Duration.ofSeconds(1), Duration.ofSeconds(60));

    public UsageSettings {
        targets = List.copyOf(targets);
        Objects.requireNonNull(spoolMaxAge);
        Objects.requireNonNull(retryMin);
        Objects.requireNonNull(retryMax);
    }

    /** Whether closed minutes are shipped (accounting on and somewhere to send them). */
    public boolean shipping() {
        return enabled && !targets.isEmpty();
    }
}
