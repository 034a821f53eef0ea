package zoneplane.controlplane.setting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.zone.PlanSettings;
import zoneplane.model.Plan;
import zoneplane.model.Setting;

/**
 * On a plan change, deletes the stored values the new plan does not permit (an Enterprise-only
 * setting turned on, an upload size above the new ceiling), so they are back at the new plan's
 * default for good: a later upgrade does not bring them back.
 */
@Component
class PlanDowngrade implements PlanSettings {

    private final ZoneSettingRepository settings;

    PlanDowngrade(ZoneSettingRepository settings) {
        this.settings = settings;
    }

    @Override
    public List<Reset> resetForPlan(String zoneId, Plan plan) {
        Map<String, StoredSetting> stored = settings.stored(zoneId);
        List<Reset> resets = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        stored.forEach((id, row) -> Setting.fromId(id).ifPresent(setting -> setting.value(row.text()).ifPresent(value -> {
            if (!setting.permits(plan, value)) {
                removed.add(id);
                resets.add(new Reset(setting, value, setting.defaultFor(plan)));
            }
        })));
        settings.delete(zoneId, removed);
        resets.sort((a, b) -> a.setting().compareTo(b.setting()));
        return resets;
    }

    @Override
    public String toString() {
        return "PlanDowngrade";
    }
}
