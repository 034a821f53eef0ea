package zoneplane.dataplane.subscriber;

import java.util.HashMap;
import java.util.Map;
import zoneplane.model.Change;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * Shares one {@link ZoneSettings} instance among all zones whose effective settings are equal. The
 * catalogue allows only a few thousand combinations and most zones use a handful (their plan's
 * defaults), so a 100k-zone view holds a few thousand settings arrays instead of 100k (about 64 bytes
 * saved per zone). Not thread-safe: one subscriber thread uses it.
 */
final class ZoneCanonicalizer {

    /** A safety bound; the catalogue's combinations stay far below it. */
    private static final int MAX_ENTRIES = 65_536;

    private final Map<ZoneSettings, ZoneSettings> settings = new HashMap<>();

    ZoneConfig canonical(ZoneConfig zone) {
        ZoneSettings shared = settings.get(zone.settings());
        if (shared == null) {
            if (settings.size() >= MAX_ENTRIES) {
                settings.clear();
            }
            settings.put(zone.settings(), zone.settings());
            return zone;
        }
        if (shared == zone.settings()) {
            return zone;
        }
        return new ZoneConfig(zone.id(), zone.name(), zone.plan(), zone.origin(), zone.paused(), shared);
    }

    Change canonical(Change change) {
        if (change instanceof Change.ZoneUpserted upserted) {
            ZoneConfig zone = canonical(upserted.zone());
            return zone == upserted.zone() ? change : new Change.ZoneUpserted(change.revision(), zone);
        }
        return change;
    }
}
