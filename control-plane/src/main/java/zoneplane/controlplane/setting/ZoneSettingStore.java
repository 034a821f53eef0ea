package zoneplane.controlplane.setting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.zone.Zone;
import zoneplane.controlplane.zone.ZoneRepository;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;

/**
 * The rows a batch of setting changes reads and writes, a statement each inside the caller's
 * transaction: the zones locked together, their stored settings read together, the changed values
 * written together.
 */
@Component
class ZoneSettingStore {

    private final ZoneRepository zones;
    private final ZoneSettingRepository settings;

    ZoneSettingStore(ZoneRepository zones, ZoneSettingRepository settings) {
        this.zones = zones;
        this.settings = settings;
    }

    /** Locks the zones that exist, by id, for the rest of the transaction. */
    Map<String, Zone> lock(Collection<String> zoneIds) {
        return zones.lockAll(zoneIds);
    }

    /** The stored settings of these zones, by zone id; zones without any are absent. */
    Map<String, Map<String, StoredSetting>> stored(Collection<String> zoneIds) {
        return settings.storedOf(zoneIds);
    }

    /** Writes every change's changed values; returns each change's state after it, in order. */
    List<ZoneSettingState> write(List<SettingDecision.Accepted> accepted) {
        List<ZoneSettingRepository.Write> writes = new ArrayList<>();
        for (SettingDecision.Accepted change : accepted) {
            change.changed().forEach((setting, value) -> writes.add(new ZoneSettingRepository.Write(change.zone().id(), setting, value)));
        }
        Map<String, Map<String, Instant>> storedAt = settings.upsert(writes);
        List<ZoneSettingState> after = new ArrayList<>();
        for (SettingDecision.Accepted change : accepted) {
            ZoneSettingState state = change.before();
            for (Map.Entry<Setting, SettingValue> entry : change.changed().entrySet()) {
                state = state.with(entry.getKey(), entry.getValue(), storedAt.get(change.zone().id()).get(entry.getKey().id()));
            }
            after.add(state);
        }
        return after;
    }
}
