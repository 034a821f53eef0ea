package zoneplane.dataplane.websocket;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;

/**
 * The per-zone concurrent WebSocket guidance by plan (SPEC §5.4), enforced on this node when
 * {@code ZONEPLANE_WEBSOCKET_LIMIT_ENFORCED=true}: a handshake that would put a zone over its plan's
 * limit is refused before the origin is contacted. Cloudflare publishes no per-plan numbers; the
 * defaults ({@code ZONEPLANE_WEBSOCKET_LIMITS}) are Zoneplane's guidance. When not enforced this does
 * nothing per handshake (the per-plan gauge counts anyway).
 *
 * <p>Thread-safe: one counter per zone with open WebSockets, updated atomically; an entry disappears when
 * its zone's last WebSocket ends.
 */
final class WebSocketAdmission {

    private final boolean enforced;
    private final Map<Plan, Integer> limits;
    private final ConcurrentHashMap<String, Integer> openByZone = new ConcurrentHashMap<>();

    public WebSocketAdmission(boolean enforced, Map<Plan, Integer> limits) {
        this.enforced = enforced;
        this.limits = new EnumMap<>(limits);
    }

    /** Takes a slot for {@code zone}; false (nothing taken) when enforced and the zone is at its limit. */
    boolean tryAdmit(ZoneConfig zone) {
        if (!enforced) {
            return true;
        }
        int limit = limit(zone.plan());
        boolean[] admitted = new boolean[1];
        openByZone.compute(zone.id(), (id, open) -> {
            int now = open == null ? 0 : open;
            admitted[0] = now < limit;
            return admitted[0] ? now + 1 : open;
        });
        return admitted[0];
    }

    /** Gives back the slot {@link #tryAdmit} took. */
    void release(ZoneConfig zone) {
        if (enforced) {
            openByZone.computeIfPresent(zone.id(), (id, open) -> open <= 1 ? null : open - 1);
        }
    }

    int limit(Plan plan) {
        return limits.getOrDefault(plan, Integer.MAX_VALUE);
    }

    /** WebSockets this node holds for {@code zone} (counted only while enforced). */
    int open(ZoneConfig zone) {
        return openByZone.getOrDefault(zone.id(), 0);
    }

    @Override
    public String toString() {
        return "WebSocketAdmission{enforced=" + enforced + ", limits=" + limits + "}";
    }
}
