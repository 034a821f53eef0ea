package zoneplane.controlplane.changelog;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import zoneplane.model.ZoneConfig;

/**
 * Reads one zone's full configuration as the data plane sees it: the zone row plus its stored
 * settings, assembled by {@link ZoneConfigs}.
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
                .query((rs, row) -> ZoneConfigs.fromRow(rs.getString("id"), rs.getString("name"), rs.getString("plan"),
                        rs.getString("origin"), rs.getBoolean("paused"), stored))
                .optional()
                .orElseThrow(() -> new IllegalStateException("zone vanished inside its own transaction: " + zoneId));
    }
}
