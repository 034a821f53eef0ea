package zoneplane.controlplane.setting;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import zoneplane.controlplane.audit.AuditAction;
import zoneplane.controlplane.audit.AuditEvent;
import zoneplane.controlplane.audit.AuditTrail;
import zoneplane.model.wire.SettingJson;

/** Records one audit row per changed value of stored setting changes, each attributed to its request. */
@Component
class SettingAudit {

    private final AuditTrail audit;

    SettingAudit(AuditTrail audit) {
        this.audit = audit;
    }

    /** Change {@code i} of the list created revision {@code first + i}. */
    void record(List<SettingDecision.Accepted> accepted, long first) {
        List<AuditTrail.Attributed> events = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            SettingDecision.Accepted change = accepted.get(i);
            long revision = first + i;
            change.changed().forEach((setting, value) -> events.add(new AuditTrail.Attributed(
                    AuditEvent.of(change.zone().accountId(), AuditAction.ZONE_SETTING_EDITED).zone(change.zone().id())
                            .setting(setting.id())
                            .values(SettingJson.value(change.before().inEffect(setting)), SettingJson.value(value))
                            .revision(revision),
                    change.edit().actor())));
        }
        audit.record(events);
    }
}
