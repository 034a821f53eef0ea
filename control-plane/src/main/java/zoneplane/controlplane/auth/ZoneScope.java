package zoneplane.controlplane.auth;

import java.util.Set;

/**
 * The zones a token's permissions apply to: every zone of its account (now and future), or exactly
 * the listed ones. Immutable.
 */
public record ZoneScope(boolean allZones, Set<String> zoneIds) {

    private static final ZoneScope ALL = new ZoneScope(true, Set.of());

    public ZoneScope {
        zoneIds = Set.copyOf(zoneIds);
        if (allZones && !zoneIds.isEmpty()) {
            throw new IllegalArgumentException("an account-wide scope lists no zones");
        }
        if (!allZones && zoneIds.isEmpty()) {
            throw new IllegalArgumentException("a zone scope lists at least one zone");
        }
    }

    public static ZoneScope all() {
        return ALL;
    }

    public static ZoneScope only(Set<String> zoneIds) {
        return new ZoneScope(false, zoneIds);
    }

    public boolean includes(String zoneId) {
        return allZones || zoneIds.contains(zoneId);
    }
}
