package zoneplane.controlplane.analytics;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds hours from minutes and days from hours. Driven by {@code analytics_rollup_pending} (the
 * buckets whose finer data changed) and bounded by a watermark: a bucket is rolled only once it has
 * closed plus {@code rollup-delay}, so the nodes' last minutes are in. Rolling a bucket recomputes
 * it whole from the finer level (delete, then insert the sums and the union of the uniques
 * sketches) in one transaction, which makes it idempotent: running twice, on two replicas, or
 * again after a late minute arrived gives the same rows. A late minute marks its hour again, and
 * the hour's rollup marks its day, so late data reaches every level.
 */
@Component
public class RollupJob {

    private static final int BUCKETS_PER_RUN = 200;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AnalyticsPartitions partitions;
    private final AnalyticsProperties properties;
    private final AnalyticsMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    RollupJob(JdbcTemplate jdbc, TransactionTemplate transactions, AnalyticsPartitions partitions,
            AnalyticsProperties properties, AnalyticsMetrics metrics) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.partitions = partitions;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** Marks buckets of {@code level} as needing a rollup (in the caller's transaction). */
    static void markPending(JdbcTemplate jdbc, Resolution level, Collection<Instant> buckets) {
        if (buckets.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (Instant bucket : buckets) {
            rows.add(new Object[] {level.suffix(), UsageIngest.timestamp(bucket)});
        }
        jdbc.batchUpdate("""
                insert into analytics_rollup_pending (level, ts) values (?, ?)
                on conflict (level, ts) do update set marked_at = clock_timestamp()""", rows);
    }

    @Scheduled(initialDelayString = "${zoneplane.analytics.rollup-interval:1m}",
            fixedDelayString = "${zoneplane.analytics.rollup-interval:1m}")
    void scheduled() {
        rollUp(clock.instant());
    }

    /** Rolls every pending bucket that closed {@code rollup-delay} before {@code now}; answers how many. */
    public int rollUp(Instant now) {
        int rolled = 0;
        for (Resolution level : new Resolution[] {Resolution.HOUR, Resolution.DAY}) {
            Instant closedBefore = level.truncate(now.minus(properties.rollupDelay()));
            int batch;
            do {
                batch = rollPending(level, closedBefore);
                rolled += batch;
            } while (batch == BUCKETS_PER_RUN);
            Instant through = jdbc.queryForList("select min(ts) from analytics_rollup_pending where level = ? and ts < ?",
                            OffsetDateTime.class, level.suffix(), UsageIngest.timestamp(closedBefore))
                    .stream().filter(java.util.Objects::nonNull).findFirst().map(OffsetDateTime::toInstant).orElse(closedBefore);
            jdbc.update("""
                    insert into analytics_rollup_watermark (level, rolled_through) values (?, ?)
                    on conflict (level) do update set rolled_through = excluded.rolled_through""",
                    level.suffix(), UsageIngest.timestamp(through));
            metrics.rolledUp(level, through, 0);
        }
        return rolled;
    }

    private int rollPending(Resolution level, Instant closedBefore) {
        List<Map<String, Object>> pending = jdbc.queryForList("""
                select ts, marked_at from analytics_rollup_pending where level = ? and ts < ?
                order by ts limit ?""", level.suffix(), UsageIngest.timestamp(closedBefore), BUCKETS_PER_RUN);
        for (Map<String, Object> bucket : pending) {
            Instant ts = ((Timestamp) bucket.get("ts")).toInstant();
            Object markedAt = bucket.get("marked_at");
            partitions.ensure(level, ts, ts);
            long rows = transactions.execute(status -> {
                jdbc.execute("set local statement_timeout = '5min'");
                long written = rollBucket(level, ts);
                jdbc.update("delete from analytics_rollup_pending where level = ? and ts = ? and marked_at = ?",
                        level.suffix(), UsageIngest.timestamp(ts), markedAt);
                level.coarser().ifPresent(coarser -> markPending(jdbc, coarser, Set.of(coarser.truncate(ts))));
                return written;
            });
            metrics.rolledUp(level, closedBefore, rows);
        }
        return pending.size();
    }

    /** Recomputes one bucket of {@code level} from the finer level; answers the rows written. */
    private long rollBucket(Resolution level, Instant ts) {
        Resolution finer = level == Resolution.HOUR ? Resolution.MINUTE : Resolution.HOUR;
        OffsetDateTime from = UsageIngest.timestamp(ts);
        OffsetDateTime to = UsageIngest.timestamp(ts.plus(level.bucket()));
        jdbc.update("delete from " + level.httpTable() + " where ts = ?", from);
        jdbc.update("delete from " + level.zoneTable() + " where ts = ?", from);
        long rows = jdbc.update("insert into " + level.httpTable() + """
                 (ts, zone_id, country, status, protocol, kind, ssl_protocol, host, content_type,
                    requests, bytes_to_client, bytes_from_client)
                select ?, zone_id, country, status, protocol, kind, ssl_protocol, host, content_type,
                    sum(requests), sum(bytes_to_client), sum(bytes_from_client)
                from """ + " " + finer.httpTable() + """
                 where ts >= ? and ts < ?
                group by zone_id, country, status, protocol, kind, ssl_protocol, host, content_type""", from, from, to);
        Map<String, Object[]> zones = new LinkedHashMap<>();
        // Per finer bucket first (summing nodes), then over the bucket: the peak is the highest sum.
        jdbc.query("""
                select zone_id, max(account_id), sum(o), sum(cn), sum(ca), max(peak), sum(cs), sum(bm), sum(btc), sum(bto)
                from (select zone_id, ts, max(account_id) as account_id, sum(ws_opened) as o, sum(ws_closed_normal) as cn,
                             sum(ws_closed_abnormal) as ca, sum(ws_peak_concurrent) as peak, sum(ws_connection_seconds) as cs,
                             sum(ws_billable_minutes) as bm, sum(ws_bytes_to_client) as btc, sum(ws_bytes_to_origin) as bto
                      from """ + " " + finer.zoneTable() + """
                       where ts >= ? and ts < ? group by zone_id, ts) as per_bucket
                group by zone_id""", rs -> {
            Object[] row = new Object[12];
            row[0] = from;
            row[1] = rs.getString(1);
            row[2] = rs.getString(2);
            for (int i = 0; i < 8; i++) {
                row[4 + i] = rs.getLong(3 + i);
            }
            zones.put(rs.getString(1), row);
        }, from, to);
        Map<String, Uniques> uniques = new LinkedHashMap<>();
        jdbc.query("select zone_id, uniques from " + finer.zoneTable() + " where ts >= ? and ts < ? and length(uniques) > 0",
                rs -> {
                    uniques.computeIfAbsent(rs.getString(1), z -> new Uniques()).add(rs.getBytes(2));
                }, from, to);
        List<Object[]> zoneRows = new ArrayList<>(zones.size());
        for (Object[] row : zones.values()) {
            Uniques u = uniques.get((String) row[1]);
            row[3] = u == null ? new byte[0] : u.toBytes();
            zoneRows.add(row);
        }
        jdbc.batchUpdate("insert into " + level.zoneTable() + """
                 (ts, zone_id, account_id, uniques, ws_opened, ws_closed_normal, ws_closed_abnormal, ws_peak_concurrent,
                    ws_connection_seconds, ws_billable_minutes, ws_bytes_to_client, ws_bytes_to_origin)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", zoneRows);
        return rows + zoneRows.size();
    }

    @Override
    public String toString() {
        return "RollupJob[every " + properties.rollupInterval() + ", delay " + properties.rollupDelay() + "]";
    }
}
