package zoneplane.controlplane.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How coarse a time bucket PostgreSQL may sum an {@code httpRequests*Groups} query's rows by before
 * they reach {@link Grouping}, so a 24-hour question in 15-minute groups reads 96 buckets of tuples
 * rather than 1,440 minutes of them. The answer must not change, so a bucket coarser than the
 * dataset's own is used only when
 * <ul>
 *   <li>every dimension the groups are keyed by is constant within it (the finest of them decides:
 *       the time granularities 1 min, 5 min, 15 min, 1 h, 1 day each divide the next), and</li>
 *   <li>the filter keeps every stored bucket of the range {@code [from, to)} read from the database,
 *       i.e. it says no more than the range (true of the usual {@code datetime_geq}/{@code datetime_lt}),
 *       so it need not be applied to rows at all.</li>
 * </ul>
 * Otherwise the dataset's own bucket is used and the filter is applied row by row as before.
 *
 * @param length the bucket length to sum by in SQL (the dataset's own bucket when nothing coarser is exact)
 * @param filter the filter still to apply to rows (matches everything when the range already says it all)
 */
record SqlBucket(Duration length, Predicate<Map<String, Object>> filter) {

    /** Above this many stored buckets in the range the filter is not checked bucket by bucket. */
    private static final long MAX_CHECKED_BUCKETS = 50_000;

    static SqlBucket of(Resolution resolution, List<String> groupBy, Predicate<Map<String, Object>> filter,
            DatasetFilter.TimeRange range) {
        SqlBucket own = new SqlBucket(resolution.bucket(), filter);
        Duration length = Duration.ofDays(1);
        for (String dimension : groupBy) {
            Duration granularity = DatasetFilter.granularity(dimension, resolution);
            if (granularity == null) {
                return own;
            }
            length = granularity.compareTo(length) < 0 ? granularity : length;
        }
        if (length.compareTo(resolution.bucket()) <= 0
                || Duration.between(range.from(), range.to()).dividedBy(resolution.bucket()) > MAX_CHECKED_BUCKETS) {
            return own;
        }
        for (Instant t = range.from(); t.isBefore(range.to()); t = t.plus(resolution.bucket())) {
            if (!filter.test(AnalyticsDatasets.timeDimensions(t, resolution))) {
                return own;
            }
        }
        return new SqlBucket(length, dimensions -> true);
    }
}
