package zoneplane.controlplane.analytics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import zoneplane.controlplane.analytics.AnalyticsStore.ZoneRow;

/** One group of {@code zoneplaneWebSockets*Groups}: sums, and the peak as the highest per-bucket sum over nodes. */
final class WebSocketAggregate {
    final long[] sums = new long[7];
    final Map<Instant, Long> concurrentByBucket = new TreeMap<>();

    void add(ZoneRow row) {
        sums[0] += row.opened();
        sums[1] += row.closedNormal() + row.closedAbnormal();
        sums[2] += row.closedAbnormal();
        sums[3] += row.connectionSeconds();
        sums[4] += row.billableMinutes();
        sums[5] += row.bytesToClient();
        sums[6] += row.bytesToOrigin();
        concurrentByBucket.merge(row.ts(), row.peakConcurrent(), Long::sum);
    }

    Map<String, Object> render() {
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("connectionsOpened", sums[0]);
        sum.put("connectionsClosed", sums[1]);
        sum.put("abnormalCloses", sums[2]);
        sum.put("connectionSeconds", sums[3]);
        sum.put("billableMinutes", sums[4]);
        sum.put("bytesToClient", sums[5]);
        sum.put("bytesToOrigin", sums[6]);
        long peak = concurrentByBucket.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return Map.of("sum", sum, "max", Map.of("concurrentConnections", peak));
    }
}
