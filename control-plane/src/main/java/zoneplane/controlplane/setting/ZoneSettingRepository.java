package zoneplane.controlplane.setting;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.database.SqlArrays;
import zoneplane.controlplane.zone.ZoneRepository;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.wire.SettingJson;

/**
 * The explicitly chosen settings of zones ({@code zone_settings}). Values are stored as JSON of the
 * setting's wire type (string for words, number for megabytes); settings never chosen have no row
 * and take the plan default.
 */
@Repository
class ZoneSettingRepository {

    /** One value to store. */
    record Write(String zoneId, Setting setting, SettingValue value) {}

    /**
     * The stored settings as columns of the zone query ({@link ZoneRepository#require(AccountScope,
     * String, ZoneRepository.Joined, RowCallbackHandler)}), so a zone and its settings come in one round trip.
     */
    static final ZoneRepository.Joined STORED = new ZoneRepository.Joined(
            ", s.setting_id as stored_setting_id, s.value #>> '{}' as stored_text, s.modified_on as stored_modified_on",
            "left join zone_settings s on s.zone_id = z.id");

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ZoneSettingRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Collects the rows of {@link #STORED} by setting id (a zone with none has one row of nulls). */
    static RowCallbackHandler collectStored(Map<String, StoredSetting> into) {
        return rs -> {
            String id = rs.getString("stored_setting_id");
            if (id != null) {
                into.put(id, new StoredSetting(rs.getString("stored_text"),
                        rs.getObject("stored_modified_on", OffsetDateTime.class).toInstant()));
            }
        };
    }

    /** Stored values by setting id (ids the catalogue no longer knows included; the catalogue ignores them). */
    Map<String, StoredSetting> stored(String zoneId) {
        return storedOf(List.of(zoneId)).getOrDefault(zoneId, Map.of());
    }

    /** {@link #stored} of several zones in one query: by zone id, zones without stored values absent. */
    Map<String, Map<String, StoredSetting>> storedOf(Collection<String> zoneIds) {
        Map<String, Map<String, StoredSetting>> stored = new HashMap<>();
        jdbc.sql("select zone_id, setting_id as stored_setting_id, value #>> '{}' as stored_text,"
                        + " modified_on as stored_modified_on from zone_settings where zone_id = any (cast(:zones as text[]))")
                .param("zones", SqlArrays.text(zoneIds))
                .query((RowCallbackHandler) rs ->
                        collectStored(stored.computeIfAbsent(rs.getString("zone_id"), zone -> new HashMap<>())).processRow(rs));
        return stored;
    }

    /**
     * Stores the values in one statement and returns when each was stored, by zone id and setting id.
     * A zone and setting may appear once. {@code clock_timestamp()} rather than the transaction's
     * start time, so that changes serialised by the zone lock get increasing times.
     */
    Map<String, Map<String, Instant>> upsert(List<Write> writes) {
        List<Map<String, Object>> rows = writes.stream()
                .map(write -> Map.<String, Object>of("zone_id", write.zoneId(), "setting_id", write.setting().id(),
                        "value", SettingJson.value(write.value())))
                .toList();
        Map<String, Map<String, Instant>> stored = new HashMap<>();
        jdbc.sql("""
                        insert into zone_settings (zone_id, setting_id, value, modified_on)
                        select t.zone_id, t.setting_id, t.value, clock_timestamp()
                        from jsonb_to_recordset(cast(:rows as jsonb)) as t(zone_id text, setting_id text, value jsonb)
                        on conflict (zone_id, setting_id) do update set value = excluded.value, modified_on = excluded.modified_on
                        returning zone_id, setting_id, modified_on""")
                .param("rows", json.writeValueAsString(rows))
                .query((RowCallbackHandler) rs -> {
                    stored.computeIfAbsent(rs.getString("zone_id"), zone -> new HashMap<>())
                            .put(rs.getString("setting_id"), rs.getObject("modified_on", OffsetDateTime.class).toInstant());
                });
        return stored;
    }

    /** Deletes the zone's stored values of these settings (they take their plan default again). */
    void delete(String zoneId, Collection<String> settingIds) {
        if (settingIds.isEmpty()) {
            return;
        }
        jdbc.sql("delete from zone_settings where zone_id = :zone and setting_id = any (cast(:ids as text[]))")
                .param("zone", zoneId)
                .param("ids", SqlArrays.text(settingIds))
                .update();
    }
}
