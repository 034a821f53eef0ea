package zoneplane.controlplane.setting;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zoneplane.controlplane.api.Timestamps;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneSettings;
import zoneplane.model.wire.SettingJson;

/**
 * What a zone's settings are at one moment: the stored rows and, derived from them with the
 * catalogue's one rule ({@link ZoneSettings#effective}), the values in effect. A stored value the
 * plan does not permit (after a downgrade) is not in effect, so its setting shows the default with
 * {@code modified_on: null}, exactly as the edge applies it.
 */
final class ZoneSettingState {

    private final Plan plan;
    private final Map<String, StoredSetting> stored;
    private final ZoneSettings effective;

    ZoneSettingState(Plan plan, Map<String, StoredSetting> stored) {
        this.plan = plan;
        this.stored = Map.copyOf(stored);
        Map<String, String> texts = new HashMap<>();
        stored.forEach((id, row) -> texts.put(id, row.text()));
        this.effective = ZoneSettings.effective(plan, texts);
    }

    /** This state with {@code setting} stored as {@code value} at {@code modifiedOn}. */
    ZoneSettingState with(Setting setting, SettingValue value, Instant modifiedOn) {
        Map<String, StoredSetting> copy = new HashMap<>(stored);
        copy.put(setting.id(), new StoredSetting(value.text(), modifiedOn));
        return new ZoneSettingState(plan, copy);
    }

    ZoneSettings effective() {
        return effective;
    }

    SettingValue inEffect(Setting setting) {
        return effective.get(setting);
    }

    SettingView view(Setting setting) {
        SettingValue value = effective.get(setting);
        StoredSetting row = stored.get(setting.id());
        String modifiedOn = row != null && row.text().equals(value.text()) ? Timestamps.format(row.modifiedOn()) : null;
        return new SettingView(setting.id(), SettingJson.value(value), setting.editableOn(plan), modifiedOn);
    }

    List<SettingView> views() {
        return Arrays.stream(Setting.values()).map(this::view).toList();
    }
}
