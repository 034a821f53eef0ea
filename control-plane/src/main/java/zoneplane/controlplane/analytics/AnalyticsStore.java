package zoneplane.controlplane.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the analytics tables for queries, each read bounded by {@code zoneplane.analytics.query-timeout}
 * (a read-only transaction with its own statement timeout, since a week of minutes may take longer
 * than the API's default bound).
 */
@Component
class AnalyticsStore {

    /** Requests and bytes of one dimension tuple in one bucket (node "" when summed over nodes). */
    record HttpRow(Instant ts, String node, String country, long status, String protocol, String sslProtocol,
            String host, String contentType, long requests, long bytesToClient, long bytesFromClient) {}

    /** One zone's bucket on one node (or over nodes above minutes): uniques sketch and WebSocket counts. */
    record ZoneRow(Instant ts, byte[] uniques, long opened, long closedNormal, long closedAbnormal, long peakConcurrent,
            long connectionSeconds, long billableMinutes, long bytesToClient, long bytesToOrigin) {}

    /** A row's bucket start for the first parameter's bucket length, aligned to UTC (minutes, hours, days). */
    private static final String BUCKET_START = "date_bin(cast(? as interval), ts, timestamptz '2000-01-01 00:00:00+00')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate reads;
    private final String timeout;

    AnalyticsStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, AnalyticsProperties properties) {
        this.jdbc = jdbc;
        this.reads = new TransactionTemplate(transactions);
        this.reads.setReadOnly(true);
        this.timeout = "set local statement_timeout = " + properties.queryTimeout().toMillis();
    }

    <T> T read(Function<JdbcTemplate, T> query) {
        return reads.execute(status -> {
            jdbc.execute(timeout);
            return query.apply(jdbc);
        });
    }

    /** The account of each of {@code zoneIds} that exists. */
    Map<String, String> accountsOf(Collection<String> zoneIds) {
        Map<String, String> accounts = new HashMap<>();
        if (zoneIds.isEmpty()) {
            return accounts;
        }
        String[] ids = zoneIds.toArray(String[]::new);
        jdbc.query("select id, account_id from zones where id = any (?)", rs -> {
            accounts.put(rs.getString(1), rs.getString(2));
        }, (Object) ids);
        return accounts;
    }

    /**
     * The dimension tuples of one zone in {@code [from, to)}, summed per {@code bucket} (the resolution's
     * own, or a coarser one that {@link SqlBucket} found exact) and per node when {@code perNode}.
     */
    List<HttpRow> httpRows(Resolution resolution, String zoneId, Instant from, Instant to, boolean perNode, Duration bucket) {
        String node = perNode ? "node_id" : "''";
        return read(db -> db.query("select " + BUCKET_START + ", " + node + ", country, status, protocol, ssl_protocol, host, content_type,"
                        + " sum(requests), sum(bytes_to_client), sum(bytes_from_client) from " + resolution.httpTable()
                        + " where zone_id = ? and ts >= ? and ts < ?"
                        + " group by 1, 2, 3, 4, 5, 6, 7, 8",
                (rs, n) -> new HttpRow(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10),
                        rs.getLong(11)),
                interval(bucket), zoneId, UsageIngest.timestamp(from), UsageIngest.timestamp(to)));
    }

    /**
     * One zone's rows in {@code [from, to)}, each stamped with the start of its {@code bucket} (the
     * resolution's own bucket keeps them as stored; a coarser one serves groups that only union uniques).
     */
    List<ZoneRow> zoneRows(Resolution resolution, String zoneId, Instant from, Instant to, Duration bucket) {
        return read(db -> db.query("select " + BUCKET_START + ", uniques, ws_opened, ws_closed_normal, ws_closed_abnormal, ws_peak_concurrent,"
                        + " ws_connection_seconds, ws_billable_minutes, ws_bytes_to_client, ws_bytes_to_origin from "
                        + resolution.zoneTable() + " where zone_id = ? and ts >= ? and ts < ?",
                (rs, n) -> new ZoneRow(rs.getTimestamp(1).toInstant(), rs.getBytes(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)),
                interval(bucket), zoneId, UsageIngest.timestamp(from), UsageIngest.timestamp(to)));
    }

    private static String interval(Duration bucket) {
        return bucket.toSeconds() + " seconds";
    }

    /**
     * Requests, bytes to clients and billable WebSocket minutes per UTC day of one zone
     * ({@code account == false}) or of every zone of one account, read at {@code resolution}.
     */
    Map<LocalDate, long[]> dailyUsage(Resolution resolution, boolean account, String id, Instant from, Instant to) {
        Map<LocalDate, long[]> days = new TreeMap<>();
        OffsetDateTime since = UsageIngest.timestamp(from);
        OffsetDateTime until = UsageIngest.timestamp(to);
        String zones = account
                ? "zone_id in (select zone_id from " + resolution.zoneTable() + " where account_id = ? and ts >= ? and ts < ?)"
                : "zone_id = ?";
        Object[] zoneArgs = account ? new Object[] {id, since, until} : new Object[] {id};
        read(db -> {
            db.query("select (ts at time zone 'UTC')::date, sum(requests), sum(bytes_to_client) from " + resolution.httpTable()
                    + " where " + zones + " and ts >= ? and ts < ? group by 1", rs -> {
                long[] day = days.computeIfAbsent(rs.getObject(1, LocalDate.class), d -> new long[3]);
                day[0] += rs.getLong(2);
                day[1] += rs.getLong(3);
            }, concat(zoneArgs, since, until));
            db.query("select (ts at time zone 'UTC')::date, sum(ws_billable_minutes) from " + resolution.zoneTable()
                    + " where " + (account ? "account_id" : "zone_id") + " = ? and ts >= ? and ts < ? group by 1", rs -> {
                days.computeIfAbsent(rs.getObject(1, LocalDate.class), d -> new long[3])[2] += rs.getLong(2);
            }, id, since, until);
            return null;
        });
        return days;
    }

    private static Object[] concat(Object[] head, Object... tail) {
        Object[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
