package zoneplane.controlplane.analytics;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import zoneplane.model.wire.UsageReport;
import zoneplane.model.wire.UsageReport.HttpGroup;
import zoneplane.model.wire.UsageReport.WebSocketMinute;
import zoneplane.model.wire.UsageReport.ZoneMinute;

/**
 * Stores a node's {@link UsageReport} exactly once per (node, instance, zone, minute): the per-node minute
 * row is inserted with {@code on conflict do nothing}, and a minute's dimension tuples are written
 * only when its row was new, all in one transaction, so a retried or replayed report changes
 * nothing and a report that failed half-way left nothing. Minutes of zones that do not exist (a
 * zone deleted while its traffic was in flight), minutes older than the 1-minute retention and
 * minutes more than a day ahead are dropped and counted, not refused: a node must not retry them
 * forever. Every stored minute marks its hour for the rollup job.
 */
@Service
public class UsageIngest {

    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");
    /** A node's clock may run ahead a little; a minute further ahead has no partition. */
    private static final java.time.Duration MAX_AHEAD = java.time.Duration.ofDays(1);

    /** What one report did. */
    public record Outcome(int stored, int duplicates, int unknownZones, int outOfRange, int rowsWritten) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final AnalyticsPartitions partitions;
    private final AnalyticsMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    UsageIngest(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions, AnalyticsPartitions partitions,
            AnalyticsMetrics metrics) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
        this.partitions = partitions;
        this.metrics = metrics;
    }

    public Outcome ingest(UsageReport report) {
        Instant now = clock.instant();
        Instant oldest = partitions.keptSince(Resolution.MINUTE, now);
        Instant latest = now.plus(MAX_AHEAD);
        Map<String, String> accounts = accountsOf(report.minutes());
        List<ZoneMinute> kept = new ArrayList<>();
        int unknown = 0;
        int outOfRange = 0;
        for (ZoneMinute minute : report.minutes()) {
            if (!accounts.containsKey(minute.zoneId())) {
                unknown++;
            } else if (minute.minute().isBefore(oldest) || minute.minute().isAfter(latest)) {
                outOfRange++;
            } else {
                kept.add(minute);
            }
        }
        if (!kept.isEmpty()) {
            partitions.ensure(Resolution.MINUTE, kept.stream().map(ZoneMinute::minute).min(Instant::compareTo).orElseThrow(),
                    kept.stream().map(ZoneMinute::minute).max(Instant::compareTo).orElseThrow());
        }
        int[] written = transactions.execute(status -> store(report.nodeId(), report.instanceId(), kept, accounts));
        Outcome outcome = new Outcome(written[0], kept.size() - written[0], unknown, outOfRange, written[1]);
        metrics.ingested(report.nodeId(), outcome, kept.stream().map(ZoneMinute::minute).max(Instant::compareTo));
        return outcome;
    }

    /** Inserts the new minutes and their tuples; answers {minutes stored, rows written}. */
    private int[] store(String node, String instance, List<ZoneMinute> minutes, Map<String, String> accounts) {
        if (minutes.isEmpty()) {
            return new int[] {0, 0};
        }
        List<Object[]> zoneRows = new ArrayList<>(minutes.size());
        for (ZoneMinute m : minutes) {
            WebSocketMinute ws = m.websockets();
            zoneRows.add(new Object[] {timestamp(m.minute()), m.zoneId(), node, instance, accounts.get(m.zoneId()), m.uniques(),
                    ws.opened(), ws.closedNormal(), ws.closedAbnormal(), ws.peakConcurrent(), ws.connectionSeconds(),
                    ws.billableMinutes(), ws.bytesToClient(), ws.bytesToOrigin()});
        }
        int[] inserted = template.batchUpdate("""
                insert into analytics_zone_1m (ts, zone_id, node_id, instance_id, account_id, uniques, ws_opened,
                    ws_closed_normal, ws_closed_abnormal, ws_peak_concurrent, ws_connection_seconds, ws_billable_minutes,
                    ws_bytes_to_client, ws_bytes_to_origin)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict do nothing""", zoneRows);
        List<Object[]> httpRows = new ArrayList<>();
        Set<Instant> hours = new TreeSet<>();
        int stored = 0;
        for (int i = 0; i < minutes.size(); i++) {
            if (inserted[i] != 1) {
                continue;
            }
            stored++;
            ZoneMinute m = minutes.get(i);
            hours.add(Resolution.HOUR.truncate(m.minute()));
            for (HttpGroup g : m.http()) {
                httpRows.add(new Object[] {timestamp(m.minute()), m.zoneId(), node, instance, g.country(), g.status(), g.protocol(),
                        g.kind(), g.sslProtocol(), g.host(), g.contentType(), g.requests(), g.bytesToClient(),
                        g.bytesFromClient()});
            }
        }
        if (!httpRows.isEmpty()) {
            template.batchUpdate("""
                    insert into analytics_http_1m (ts, zone_id, node_id, instance_id, country, status, protocol, kind,
                        ssl_protocol, host, content_type, requests, bytes_to_client, bytes_from_client)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", httpRows);
        }
        RollupJob.markPending(template, Resolution.HOUR, hours);
        return new int[] {stored, stored + httpRows.size()};
    }

    private Map<String, String> accountsOf(List<ZoneMinute> minutes) {
        Set<String> ids = new LinkedHashSet<>();
        for (ZoneMinute m : minutes) {
            if (ZONE_ID.matcher(m.zoneId()).matches()) {
                ids.add(m.zoneId());
            }
        }
        Map<String, String> accounts = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 5000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 5000));
            jdbc.sql("select id, account_id from zones where id in (:ids)").param("ids", chunk)
                    .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list()
                    .forEach(e -> accounts.put(e.getKey(), e.getValue()));
        }
        return accounts;
    }

    static OffsetDateTime timestamp(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
