package zoneplane.controlplane.setting;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.changelog.ChangeLog;
import zoneplane.controlplane.changelog.ZoneConfigs;
import zoneplane.model.ZoneConfig;

/** Appends the change-log revisions of stored setting changes: one per change, in batch order. */
@Component
class SettingRevisions {

    private final ChangeLog changeLog;

    SettingRevisions(ChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    /** The first revision; change {@code i} of the list is {@code first + i}. */
    long append(List<SettingDecision.Accepted> accepted, List<ZoneSettingState> after) {
        List<ZoneConfig> configs = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            var zone = accepted.get(i).zone();
            configs.add(ZoneConfigs.of(zone.id(), zone.name(), zone.plan(), zone.origin(), zone.paused(), after.get(i).effective()));
        }
        return changeLog.appendUpserts(configs);
    }
}
