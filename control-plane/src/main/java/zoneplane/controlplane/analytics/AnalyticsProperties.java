package zoneplane.controlplane.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of traffic analytics ({@code zoneplane.analytics.*}; environment variables such as
 * {@code ZONEPLANE_ANALYTICS_RETENTION_MINUTES=14d}).
 *
 * @param retentionMinutes how long 1-minute rows are kept (whole daily partitions are dropped after it)
 * @param retentionHours how long 1-hour rows are kept (monthly partitions)
 * @param retentionDays how long 1-day rows are kept (monthly partitions)
 * @param partitionsAhead partitions are created this far into the future
 * @param maintenanceInterval how often partitions are created ahead and old ones dropped
 * @param rollupInterval how often the rollup job looks for closed hours and days to roll up
 * @param rollupDelay an hour (day) is rolled up this long after it closed, so nodes' last minutes are in
 * @param maxReportSize largest decompressed usage report accepted (413 above it)
 * @param maxReportCompressedSize largest usage report body accepted as sent (gzip; 413 above it). The
 *     ingest is exempt from {@code zoneplane.api.max-body-size} and bounded by these two instead
 * @param queryTimeout bound of one GraphQL dataset or usage query in PostgreSQL
 * @param maxQueryDepth deepest GraphQL selection accepted
 * @param maxQueryComplexity most fields (each counted once) one GraphQL query may select
 * @param websocketVolume expected concurrent WebSocket connections of each volume class; the plans
 *     name theirs as Cloudflare does: Free low, Pro medium, Business high, Enterprise custom
 * @param volumeExceededShare a zone is flagged when its summed peak was above its plan's volume in
 *     more than this share of the last hour's minutes (0..1)
 */
@ConfigurationProperties("zoneplane.analytics")
public record AnalyticsProperties(
        @DefaultValue("7d") Duration retentionMinutes,
        @DefaultValue("90d") Duration retentionHours,
        @DefaultValue("400d") Duration retentionDays,
        @DefaultValue("2d") Duration partitionsAhead,
        @DefaultValue("1h") Duration maintenanceInterval,
        @DefaultValue("1m") Duration rollupInterval,
        @DefaultValue("5m") Duration rollupDelay,
        @DefaultValue("8MB") DataSize maxReportSize,
        @DefaultValue("8MB") DataSize maxReportCompressedSize,
        @DefaultValue("10s") Duration queryTimeout,
        @DefaultValue("15") int maxQueryDepth,
        @DefaultValue("1000") int maxQueryComplexity,
        @DefaultValue WebSocketVolume websocketVolume,
        @DefaultValue("0.5") double volumeExceededShare) {

    public AnalyticsProperties {
        for (Duration d : new Duration[] {retentionMinutes, retentionHours, retentionDays, partitionsAhead,
                maintenanceInterval, rollupInterval, queryTimeout}) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("zoneplane.analytics durations must be positive");
            }
        }
        if (retentionMinutes.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("zoneplane.analytics.retention-minutes must be at least 1d (one daily partition)");
        }
        if (rollupDelay.isNegative() || maxReportSize.toBytes() <= 0 || maxReportCompressedSize.toBytes() <= 0 || maxQueryDepth < 3 || maxQueryComplexity < 10) {
            throw new IllegalArgumentException("zoneplane.analytics: rollup-delay not negative, max-report-size and max-report-compressed-size positive, "
                    + "max-query-depth at least 3, max-query-complexity at least 10");
        }
        if (volumeExceededShare < 0 || volumeExceededShare > 1) {
            throw new IllegalArgumentException("zoneplane.analytics.volume-exceeded-share must be between 0 and 1");
        }
    }

    /**
     * Concurrent WebSocket connections a plan's volume class expects
     * ({@code ZONEPLANE_ANALYTICS_WEBSOCKET_VOLUME_LOW=200}, …).
     */
    public record WebSocketVolume(@DefaultValue("100") long low, @DefaultValue("1000") long medium,
            @DefaultValue("10000") long high, @DefaultValue("100000") long custom) {

        public WebSocketVolume {
            if (low < 1 || medium < 1 || high < 1 || custom < 1) {
                throw new IllegalArgumentException("zoneplane.analytics.websocket-volume values must be positive");
            }
        }

        /** The volume class of a plan id and its expected connections. */
        public Expected of(String plan) {
            return switch (plan) {
                case "pro" -> new Expected("medium", medium);
                case "business" -> new Expected("high", high);
                case "enterprise" -> new Expected("custom", custom);
                default -> new Expected("low", low);
            };
        }
    }

    /** A volume class ({@code low}, {@code medium}, {@code high}, {@code custom}) and its number. */
    public record Expected(String volume, long connections) {}
}
