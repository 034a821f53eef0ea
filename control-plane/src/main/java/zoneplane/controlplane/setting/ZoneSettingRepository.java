package zoneplane.controlplane.setting;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import zoneplane.model.Setting;
import zoneplane.model.SettingRule;
import zoneplane.model.SettingValue;

/**
 * The explicitly chosen settings of zones ({@code zone_settings}). Values are stored as JSON of the
 * setting's wire type (string for words, number for megabytes); settings never chosen have no row
 * and take the plan default.
 */
@Repository
class ZoneSettingRepository {

    private final JdbcClient jdbc;

    ZoneSettingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stored values by setting id (ids the catalogue no longer knows included; the catalogue ignores them). */
    Map<String, StoredSetting> stored(String zoneId) {
        Map<String, StoredSetting> stored = new HashMap<>();
        jdbc.sql("select setting_id, value #>> '{}' as text, modified_on from zone_settings where zone_id = :zone")
                .param("zone", zoneId)
                .query(rs -> {
                    stored.put(rs.getString("setting_id"), new StoredSetting(rs.getString("text"),
                            rs.getObject("modified_on", OffsetDateTime.class).toInstant()));
                });
        return stored;
    }

    /**
     * Stores the value and returns its modification time. {@code clock_timestamp()} rather than the
     * transaction's start time, so that changes serialised by the zone lock get increasing times.
     */
    Instant upsert(String zoneId, Setting setting, SettingValue value) {
        String json = setting.kind() == SettingRule.Kind.MEGABYTES
                ? "to_jsonb(cast(:text as integer))"
                : "to_jsonb(cast(:text as text))";
        return jdbc.sql("insert into zone_settings (zone_id, setting_id, value, modified_on)"
                        + " values (:zone, :setting, " + json + ", clock_timestamp())"
                        + " on conflict (zone_id, setting_id) do update set value = excluded.value, modified_on = excluded.modified_on"
                        + " returning modified_on")
                .param("zone", zoneId)
                .param("setting", setting.id())
                .param("text", value.text())
                .query((rs, row) -> rs.getObject("modified_on", OffsetDateTime.class).toInstant())
                .single();
    }
}
