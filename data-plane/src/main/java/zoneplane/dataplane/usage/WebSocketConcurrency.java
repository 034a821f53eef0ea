package zoneplane.dataplane.usage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open WebSockets per zone across the node's loops, and the most open at once since the last minute
 * closed: one sum over loops would overstate the peak (each loop's peak may fall at another moment).
 * Lock-free: two atomics per zone, touched only when a WebSocket opens or closes and once per minute.
 */
final class WebSocketConcurrency {

    private final ConcurrentHashMap<String, AtomicLong[]> byZone = new ConcurrentHashMap<>();

    private AtomicLong[] of(String zoneId) {
        AtomicLong[] counts = byZone.get(zoneId);
        return counts != null ? counts : byZone.computeIfAbsent(zoneId, z -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    }

    void opened(String zoneId) {
        AtomicLong[] counts = of(zoneId);
        long now = counts[0].incrementAndGet();
        counts[1].accumulateAndGet(now, Math::max);
    }

    void closed(String zoneId) {
        of(zoneId)[0].decrementAndGet();
    }

    /** The peak since the previous call, which starts the next minute's peak at the connections open now. */
    long takePeak(String zoneId) {
        AtomicLong[] counts = byZone.get(zoneId);
        if (counts == null) {
            return 0;
        }
        long open = counts[0].get();
        long peak = counts[1].getAndSet(open);
        if (open == 0 && peak == 0) {
            byZone.remove(zoneId, counts);
        }
        return Math.max(peak, open);
    }
}
