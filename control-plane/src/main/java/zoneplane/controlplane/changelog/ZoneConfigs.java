package zoneplane.controlplane.changelog;

import java.util.Map;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * The one place a zone and its settings become the {@link ZoneConfig} the data plane gets: from the
 * zone's columns and either its settings in effect or its stored setting texts, made effective by
 * {@link ZoneSettings#effective} (the one rule both planes share). A zone without an origin has the
 * empty string.
 */
public final class ZoneConfigs {

    private ZoneConfigs() {}

    public static ZoneConfig of(String id, String name, Plan plan, String origin, boolean paused, ZoneSettings settings) {
        return new ZoneConfig(id, name, plan, origin == null ? "" : origin, paused, settings);
    }

    /** From database columns: the plan by its id, the stored values by setting id (texts as {@code value #>> '{}'}). */
    public static ZoneConfig fromRow(String id, String name, String planId, String origin, boolean paused,
            Map<String, String> stored) {
        Plan plan = Plan.fromId(planId).orElseThrow(() -> new IllegalStateException("zone " + id + " has unknown plan " + planId));
        return of(id, name, plan, origin, paused, ZoneSettings.effective(plan, stored));
    }
}
