package zoneplane.controlplane.setting;

import java.util.List;
import zoneplane.controlplane.account.AccountScope;
import zoneplane.controlplane.audit.AuditTrail;

/**
 * A change of one zone's settings as the caller asked for it, typed. {@code precondition} applies
 * to the first item (the single-setting PATCH); {@code actor} is who asked, taken on the request's
 * thread so the change is attributed to it when written on the writer's.
 */
record SettingChange(AccountScope scope, String zoneId, List<RequestedSetting> items, Precondition precondition,
        AuditTrail.Actor actor) {

    SettingChange {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an edit has at least one item");
        }
    }
}
