package zoneplane.controlplane.setting;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.audit.AuditTrail;
import zoneplane.controlplane.zone.Zone;
import zoneplane.controlplane.zone.ZoneRepository;
import zoneplane.model.ZoneSettings;

/**
 * Reading and changing a zone's settings. Reads take one query (the zone and its stored settings
 * together). Changes go through {@link SettingWriter}: under the zone's lock, every requested value
 * is validated through the catalogue before anything is written, only values that differ from what
 * is in effect are written, and one change-log revision is appended when at least one did. A
 * request whose values are all already in effect is a no-op: no write, no revision.
 */
@Service
public class SettingService {

    private final ZoneRepository zones;
    private final ZoneSettingRepository settings;
    private final SettingWriter writer;

    SettingService(ZoneRepository zones, ZoneSettingRepository settings, SettingWriter writer) {
        this.zones = zones;
        this.settings = settings;
        this.writer = writer;
    }

    /** The settings in effect for a zone the caller may see (for the DNS view and others). */
    public ZoneSettings effective(Zone zone) {
        return new ZoneSettingState(zone.plan(), settings.stored(zone.id())).effective();
    }

    List<SettingView> all(AccountScope scope, String zoneId) {
        return read(scope, zoneId).views();
    }

    SettingView one(AccountScope scope, String zoneId, String settingId) {
        return read(scope, zoneId).view(RequestedValue.setting(settingId));
    }

    /**
     * Sets one setting. The precondition (from {@code If-Match}) must admit the setting's current
     * ETag, else nothing changes.
     */
    SettingOutcome edit(AccountScope scope, String zoneId, RequestedSetting item, Precondition precondition) {
        return writer.write(new SettingChange(scope, zoneId, List.of(item), precondition, AuditTrail.currentActor()));
    }

    /** Sets several settings: all of them or none, in one transaction and one revision. */
    SettingOutcome editAll(AccountScope scope, String zoneId, List<RequestedSetting> items) {
        return writer.write(new SettingChange(scope, zoneId, items, Precondition.NONE, AuditTrail.currentActor()));
    }

    /** The zone's settings, read with the zone (and its scope check) in one query. */
    private ZoneSettingState read(AccountScope scope, String zoneId) {
        Map<String, StoredSetting> stored = new HashMap<>();
        Zone zone = zones.require(scope, zoneId, ZoneSettingRepository.STORED, ZoneSettingRepository.collectStored(stored));
        return new ZoneSettingState(zone.plan(), stored);
    }
}
