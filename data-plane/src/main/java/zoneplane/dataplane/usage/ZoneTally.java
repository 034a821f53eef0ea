package zoneplane.dataplane.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import zoneplane.model.wire.UsageReport;

/**
 * One zone's counts in one minute: on one event loop while the minute is open, then the merge of every
 * loop's when it closes. Not thread-safe: owned by one loop, then by the usage thread.
 *
 * <p>Tuples are bounded: once {@code groupLimit} distinct ones are held, a new tuple counts with host and
 * content type {@value GroupKey#OTHER} (its country, status, protocol, kind and TLS version kept), so a
 * zone flooded with random Host names or content types cannot grow a minute without bound.
 */
final class ZoneTally {

    /** HLL with 2¹² buckets (~1.6 % standard error, 2.6 KiB compact at most); unions keep the smallest lgK. */
    static final int UNIQUES_LG_K = 12;

    final String zoneId;
    final long minute;
    private final int groupLimit;
    private final Map<GroupKey, long[]> groups = new HashMap<>();
    private HllSketch uniques;
    private Union merged;
    long opened;
    long closedNormal;
    long closedAbnormal;
    long connectionMillis;
    long billableMinutes;
    long wsToClient;
    long wsToOrigin;

    ZoneTally(String zoneId, long minute, int groupLimit) {
        this.zoneId = zoneId;
        this.minute = minute;
        this.groupLimit = groupLimit;
    }

    /** Adds requests and bytes to the tuple {@code key}. */
    void add(GroupKey key, long requests, long toClient, long fromClient) {
        long[] counts = groups.get(key);
        if (counts == null) {
            if (groups.size() >= groupLimit) {
                key = key.folded();
                counts = groups.get(key);
            }
            if (counts == null) {
                counts = new long[3];
                groups.put(key, counts);
            }
        }
        counts[0] += requests;
        counts[1] += toClient;
        counts[2] += fromClient;
    }

    void visitor(String ip) {
        if (ip.isEmpty()) {
            return;
        }
        if (uniques == null) {
            uniques = new HllSketch(UNIQUES_LG_K, TgtHllType.HLL_4);
        }
        uniques.update(ip);
    }

    /** Adds {@code other} (the same zone and minute, another loop) to this one. */
    void merge(ZoneTally other) {
        other.groups.forEach((key, counts) -> add(key, counts[0], counts[1], counts[2]));
        if (other.uniques != null) {
            if (merged == null) {
                merged = new Union(UNIQUES_LG_K);
                if (uniques != null) {
                    merged.update(uniques);
                }
            }
            merged.update(other.uniques);
        }
        opened += other.opened;
        closedNormal += other.closedNormal;
        closedAbnormal += other.closedAbnormal;
        connectionMillis += other.connectionMillis;
        billableMinutes += other.billableMinutes;
        wsToClient += other.wsToClient;
        wsToOrigin += other.wsToOrigin;
    }

    boolean hasWebSockets() {
        return opened + closedNormal + closedAbnormal + connectionMillis + billableMinutes + wsToClient + wsToOrigin > 0;
    }

    UsageReport.ZoneMinute toZoneMinute(long peakConcurrent) {
        List<UsageReport.HttpGroup> http = new ArrayList<>(groups.size());
        groups.forEach((key, counts) -> http.add(key.group(counts)));
        byte[] sketch = merged != null ? merged.getResult(TgtHllType.HLL_4).toCompactByteArray()
                : uniques != null ? uniques.toCompactByteArray() : new byte[0];
        UsageReport.WebSocketMinute ws = hasWebSockets() || peakConcurrent > 0
                ? new UsageReport.WebSocketMinute(opened, closedNormal, closedAbnormal, peakConcurrent,
                        Math.round(connectionMillis / 1000.0), billableMinutes, wsToClient, wsToOrigin)
                : UsageReport.WebSocketMinute.NONE;
        return new UsageReport.ZoneMinute(zoneId, Instant.ofEpochSecond(minute * 60), http, sketch, ws);
    }
}
