package zoneplane.system.propagation;

import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;
import zoneplane.model.wire.WireFormat;

/**
 * A change endpoint standing in for the API's setting PATCH in distribution tests (the API is built
 * in parallel): the same SQL in one transaction, and the same {@code Zoneplane-Revision} header.
 * Lives outside {@code zoneplane.controlplane} so component scanning never picks it up; tests add
 * it to the application explicitly.
 */
@RestController
public class TestWriteController {

    private final JdbcTemplate jdbc;

    public TestWriteController(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @PatchMapping("/test-writes/zones/{zoneId}/settings/{settingId}")
    @Transactional
    public ResponseEntity<Map<String, Object>> patch(@PathVariable String zoneId, @PathVariable String settingId,
            @RequestBody Map<String, Object> body) {
        Setting setting = Setting.fromId(settingId).orElseThrow();
        String value = String.valueOf(body.get("value"));
        long revision = jdbc.queryForObject("update config_revision set revision = revision + 1 returning revision", Long.class);
        jdbc.update("""
                insert into zone_settings (zone_id, setting_id, value) values (?, ?, to_jsonb(?::text))
                on conflict (zone_id, setting_id) do update set value = excluded.value, modified_on = now()""",
                zoneId, setting.id(), value);
        Map<String, Object> zone = jdbc.queryForMap("select name, plan, origin, paused from zones where id = ?", zoneId);
        Plan plan = Plan.fromId((String) zone.get("plan")).orElseThrow();
        Map<String, String> stored = new java.util.HashMap<>();
        jdbc.query("select setting_id, value #>> '{}' from zone_settings where zone_id = ?",
                rs -> {
                    stored.put(rs.getString(1), rs.getString(2));
                }, zoneId);
        String origin = (String) zone.get("origin");
        ZoneConfig config = new ZoneConfig(zoneId, (String) zone.get("name"), plan, origin == null ? "" : origin,
                (Boolean) zone.get("paused"), ZoneSettings.effective(plan, stored));
        jdbc.update("insert into change_log (revision, zone_id, kind, payload) values (?, ?, 'zone_upserted', ?::jsonb)",
                revision, zoneId, WireFormat.changeToJson(new Change.ZoneUpserted(revision, config)));
        return ResponseEntity.ok().header("Zoneplane-Revision", Long.toString(revision))
                .body(Map.of("success", true, "result", Map.of("id", setting.id(), "value", value)));
    }
}
