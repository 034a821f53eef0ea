package zoneplane.controlplane.changelog;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * Reads one zone's full configuration as the data plane sees it: the zone row plus its stored
 * settings, made effective by {@link ZoneSettings#effective} (the one rule both planes share).
 */
final class ZoneConfigReader {

    private final JdbcClient jdbc;

    ZoneConfigReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    ZoneConfig read(String zoneId) {
        Map<String, String> stored = new HashMap<>();
        jdbc.sql("select setting_id, value #>> '{}' as text from zone_settings where zone_id = :zone")
                .param("zone", zoneId)
                .query(rs -> {
                    stored.put(rs.getString("setting_id"), rs.getString("text"));
                });
        return jdbc.sql("select id, name, plan, origin, paused from zones where id = :zone")
                .param("zone", zoneId)
                .query((rs, row) -> {
                    Plan plan = Plan.fromId(rs.getString("plan"))
                            .orElseThrow(() -> new IllegalStateException("unknown plan in zones row"));
                    String origin = rs.getString("origin");
                    return new ZoneConfig(rs.getString("id"), rs.getString("name"), plan,
                            origin == null ? "" : origin, rs.getBoolean("paused"), ZoneSettings.effective(plan, stored));
                })
                .optional()
                .orElseThrow(() -> new IllegalStateException("zone vanished inside its own transaction: " + zoneId));
    }
}
