package zoneplane.dataplane.subscriber;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zoneplane.model.wire.NodeReport;

/**
 * The changes this node read but could not apply, one per zone (the newest refusal of that zone),
 * oldest first. The zone keeps its last good config until a later change of it applies or a
 * snapshot replaces the view. A refusal that names no zone is kept under the empty key until a
 * snapshot. Thread-safe: the subscriber writes, reports and health read.
 */
final class RefusedChanges {

    private static final String NO_ZONE = "";

    private final Map<String, NodeReport.Refusal> byZone = new LinkedHashMap<>();

    /** Records a refusal; returns whether it is news (not the same revision again). */
    synchronized boolean refuse(long revision, String zoneId, String reason) {
        String key = zoneId == null ? NO_ZONE : zoneId;
        NodeReport.Refusal previous = byZone.remove(key);
        byZone.put(key, new NodeReport.Refusal(revision, zoneId, reason));
        return previous == null || previous.revision() != revision;
    }

    /** A change of {@code zoneId} applied: the zone is current again. Returns whether it had been held. */
    synchronized boolean applied(String zoneId) {
        return byZone.remove(zoneId) != null;
    }

    /** A snapshot replaced the view: nothing is held any more. */
    synchronized void clear() {
        byZone.clear();
    }

    synchronized int size() {
        return byZone.size();
    }

    /** The refusals held, oldest first. */
    synchronized List<NodeReport.Refusal> list() {
        List<NodeReport.Refusal> out = new ArrayList<>(byZone.values());
        out.sort((a, b) -> Long.compare(a.revision(), b.revision()));
        return out;
    }

    @Override
    public synchronized String toString() {
        return "RefusedChanges" + byZone.values();
    }
}
