package zoneplane.dataplane.usage;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One event loop's open minutes: what the exchanges that ended on this loop counted, per minute and zone,
 * and the WebSockets open on it. Owned by its loop: every method runs there, so no field needs a lock or
 * an atomic. {@link #handOver} gives closed minutes away (the usage thread merges them) and starts afresh.
 */
final class LoopLedger {

    static final long MINUTE_MILLIS = 60_000;

    final EventLoop loop;
    private final int groupLimit;
    private final WebSocketConcurrency concurrency;
    /** epoch minute → zone id → tally; rarely more than one or two minutes. */
    private final Map<Long, Map<String, ZoneTally>> open = new HashMap<>();
    private final Map<String, LiveWebSocket> live = new HashMap<>();
    /** The last minute handed over: later records never go back into it. */
    private long closedThrough;
    /** Records and upgrades this loop took in (a diagnostic: tests wait on it instead of on time). */
    private long recorded;

    LoopLedger(EventLoop loop, int groupLimit, WebSocketConcurrency concurrency, long closedThrough) {
        this.loop = loop;
        this.groupLimit = groupLimit;
        this.concurrency = concurrency;
        this.closedThrough = closedThrough;
    }

    /** The minute a moment counts in: its own, or the first still open when its own was handed over. */
    private long minuteOf(long epochMillis) {
        return Math.max(Math.floorDiv(epochMillis, MINUTE_MILLIS), closedThrough + 1);
    }

    private ZoneTally tally(long minute, String zoneId) {
        return open.computeIfAbsent(minute, m -> new HashMap<>())
                .computeIfAbsent(zoneId, z -> new ZoneTally(z, minute, groupLimit));
    }

    long recorded() {
        return recorded;
    }

    void ended(ExchangeRecord record) {
        recorded++;
        if (!record.hasZone()) {
            return;
        }
        long endMillis = record.edgeEnd().toEpochMilli();
        if (record.kind() == ExchangeRecord.Kind.WEBSOCKET) {
            LiveWebSocket ws = live.remove(record.rayId());
            if (ws != null) {
                closed(ws, endMillis, record.closedCleanly());
                return;
            }
            // Not upgraded after all (the handshake failed or was refused): an ordinary request.
        }
        ZoneTally tally = tally(minuteOf(endMillis), record.zoneId());
        tally.add(GroupKey.of(record), 1, record.edgeResponseBytes(), record.requestBytes());
        tally.visitor(record.clientIp());
    }

    void opened(ExchangeRecord upgrade, WireCounter flow) {
        recorded++;
        if (!upgrade.hasZone()) {
            return;
        }
        long at = upgrade.edgeEnd().toEpochMilli();
        ZoneTally tally = tally(minuteOf(at), upgrade.zoneId());
        GroupKey key = GroupKey.of(upgrade);
        tally.add(key, 1, upgrade.edgeResponseBytes(), upgrade.requestBytes());
        tally.visitor(upgrade.clientIp());
        tally.opened++;
        concurrency.opened(upgrade.zoneId());
        live.put(upgrade.rayId(), new LiveWebSocket(upgrade.zoneId(), key, flow, at));
    }

    private void closed(LiveWebSocket ws, long endMillis, boolean clean) {
        long minute = minuteOf(endMillis);
        connectionTime(ws, minute, endMillis);
        ZoneTally tally = tally(minute, ws.zoneId);
        long lived = Math.max(0, endMillis - ws.startMillis);
        // Fastly's rule: a connection's minutes rounded up, a started one included.
        long total = Math.max(1, (lived + MINUTE_MILLIS - 1) / MINUTE_MILLIS);
        tally.billableMinutes += Math.max(0, total - ws.billed);
        bytes(ws, tally);
        if (clean) {
            tally.closedNormal++;
        } else {
            tally.closedAbnormal++;
        }
        concurrency.closed(ws.zoneId);
    }

    /** Adds the connection's time in each still-open minute up to {@code last}, until {@code untilMillis}. */
    private void connectionTime(LiveWebSocket ws, long last, long untilMillis) {
        for (long m = Math.max(closedThrough + 1, Math.floorDiv(ws.startMillis, MINUTE_MILLIS)); m <= last; m++) {
            long from = Math.max(ws.startMillis, m * MINUTE_MILLIS);
            long to = Math.min(untilMillis, (m + 1) * MINUTE_MILLIS);
            if (to > from) {
                tally(m, ws.zoneId).connectionMillis += to - from;
            }
        }
    }

    /** The bytes the connection moved since they were last counted, into {@code tally}'s minute. */
    private static void bytes(LiveWebSocket ws, ZoneTally tally) {
        long toClient = ws.flow.sent() - ws.countedSent;
        long fromClient = ws.flow.received() - ws.countedReceived;
        ws.countedSent = ws.flow.sent();
        ws.countedReceived = ws.flow.received();
        if (toClient > 0 || fromClient > 0) {
            tally.add(ws.key, 0, toClient, fromClient);
            tally.wsToClient += toClient;
            tally.wsToOrigin += fromClient;
        }
    }

    /**
     * Closes every minute up to {@code through}: the open WebSockets add their time, bytes and the
     * minutes they completed, then the tallies leave this loop. Runs on the loop.
     */
    List<ZoneTally> handOver(long through) {
        if (through <= closedThrough) {
            return List.of();
        }
        long boundary = (through + 1) * MINUTE_MILLIS;
        for (LiveWebSocket ws : live.values()) {
            connectionTime(ws, through, boundary);
            ZoneTally tally = tally(through, ws.zoneId);
            long completed = Math.max(0, boundary - ws.startMillis) / MINUTE_MILLIS;
            tally.billableMinutes += Math.max(0, completed - ws.billed);
            ws.billed = Math.max(ws.billed, completed);
            bytes(ws, tally);
        }
        List<ZoneTally> closed = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Map<String, ZoneTally>>> it = open.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Map<String, ZoneTally>> minute = it.next();
            if (minute.getKey() <= through) {
                closed.addAll(minute.getValue().values());
                it.remove();
            }
        }
        closedThrough = through;
        return closed;
    }

    /** A WebSocket open on this loop, and how much of it is counted already. */
    private static final class LiveWebSocket {
        final String zoneId;
        final GroupKey key;
        final WireCounter flow;
        final long startMillis;
        long countedSent;
        long countedReceived;
        long billed;

        LiveWebSocket(String zoneId, GroupKey key, WireCounter flow, long startMillis) {
            this.zoneId = zoneId;
            this.key = key;
            this.flow = flow;
            this.startMillis = startMillis;
            this.countedSent = flow.sent();
            this.countedReceived = flow.received();
        }
    }
}
