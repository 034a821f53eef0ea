package zoneplane.controlplane.setting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.audit.AuditAction;
import zoneplane.controlplane.audit.AuditEvent;
import zoneplane.controlplane.audit.AuditTrail;
import zoneplane.controlplane.changelog.Applied;
import zoneplane.controlplane.changelog.ChangeLog;
import zoneplane.controlplane.zone.Zone;
import zoneplane.controlplane.zone.ZoneRepository;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * Reading and changing a zone's settings. A change locks the zone row, validates every requested
 * value through the catalogue before writing anything, writes only values that differ from what is
 * in effect, and appends one change-log revision when at least one did. A request whose values are
 * all already in effect is a no-op: no write, no revision.
 */
@Service
public class SettingService {

    /** One requested change of a bulk PATCH. */
    record Item(Setting setting, JsonNode value) {}

    private final ZoneRepository zones;
    private final ZoneSettingRepository settings;
    private final ChangeLog changeLog;
    private final AuditTrail audit;

    SettingService(ZoneRepository zones, ZoneSettingRepository settings, ChangeLog changeLog, AuditTrail audit) {
        this.zones = zones;
        this.settings = settings;
        this.changeLog = changeLog;
        this.audit = audit;
    }

    /** The settings in effect for a zone the caller may see (for the DNS view and others). */
    @Transactional(readOnly = true)
    public ZoneSettings effective(Zone zone) {
        return state(zone).effective();
    }

    @Transactional(readOnly = true)
    List<SettingView> all(AccountScope scope, String zoneId) {
        return state(zones.require(scope, zoneId)).views();
    }

    @Transactional(readOnly = true)
    SettingView one(AccountScope scope, String zoneId, String settingId) {
        Zone zone = zones.require(scope, zoneId);
        return state(zone).view(RequestedValue.setting(settingId));
    }

    /**
     * Sets one setting. {@code ifMatch} (may be null) must match the setting's current ETag, else
     * 412 and nothing changes.
     */
    @Transactional
    Applied<SettingView> edit(AccountScope scope, String zoneId, String settingId, JsonNode value, String ifMatch) {
        Zone zone = zones.requireLocked(scope, zoneId);
        Setting setting = RequestedValue.setting(settingId);
        SettingValue requested = RequestedValue.accept(setting, zone.plan(), value);
        ZoneSettingState before = state(zone);
        if (ifMatch != null && !matches(ifMatch, before.view(setting).etag())) {
            throw new ApiException(ApiErrorCode.PRECONDITION_FAILED,
                    "If-Match does not match the current ETag of " + setting.id());
        }
        if (before.inEffect(setting).equals(requested)) {
            return Applied.unchanged(before.view(setting));
        }
        ZoneSettingState after = before.with(setting, requested, settings.upsert(zoneId, setting, requested));
        long revision = changeLog.appendUpsert(config(zone, after));
        audited(zone, setting, before.inEffect(setting), requested, revision);
        return new Applied<>(after.view(setting), revision);
    }

    /** Sets several settings: all of them or none, in one transaction and one revision. */
    @Transactional
    Applied<List<SettingView>> editAll(AccountScope scope, String zoneId, List<Item> items) {
        Zone zone = zones.requireLocked(scope, zoneId);
        Map<Setting, SettingValue> requested = new LinkedHashMap<>();
        for (Item item : items) {
            requested.put(item.setting(), RequestedValue.accept(item.setting(), zone.plan(), item.value()));
        }
        ZoneSettingState before = state(zone);
        ZoneSettingState after = before;
        for (Map.Entry<Setting, SettingValue> entry : requested.entrySet()) {
            if (!before.inEffect(entry.getKey()).equals(entry.getValue())) {
                after = after.with(entry.getKey(), entry.getValue(), settings.upsert(zoneId, entry.getKey(), entry.getValue()));
            }
        }
        List<SettingView> result = new ArrayList<>();
        for (Setting setting : requested.keySet()) {
            result.add(after.view(setting));
        }
        if (after == before) {
            return Applied.unchanged(result);
        }
        long revision = changeLog.appendUpsert(config(zone, after));
        requested.forEach((setting, value) -> {
            if (!before.inEffect(setting).equals(value)) {
                audited(zone, setting, before.inEffect(setting), value, revision);
            }
        });
        return new Applied<>(result, revision);
    }

    /** One audit row per setting that changed, in the change's transaction, under its revision. */
    private void audited(Zone zone, Setting setting, SettingValue before, SettingValue after, long revision) {
        audit.record(AuditEvent.of(zone.accountId(), AuditAction.ZONE_SETTING_EDITED).zone(zone.id()).setting(setting.id())
                .values(AuditEvent.value(before), AuditEvent.value(after)).revision(revision));
    }

    private static ZoneConfig config(Zone zone, ZoneSettingState state) {
        return new ZoneConfig(zone.id(), zone.name(), zone.plan(), zone.origin(), zone.paused(), state.effective());
    }

    private ZoneSettingState state(Zone zone) {
        return new ZoneSettingState(zone.plan(), settings.stored(zone.id()));
    }

    /** RFC 9110 If-Match: "*" or a list of strong entity tags, one of which must equal the current one. */
    static boolean matches(String ifMatch, String etag) {
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
