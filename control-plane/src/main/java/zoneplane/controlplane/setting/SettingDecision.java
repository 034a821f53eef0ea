package zoneplane.controlplane.setting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zoneplane.controlplane.zone.Zone;
import zoneplane.model.Setting;
import zoneplane.model.SettingCheck;
import zoneplane.model.SettingValue;

/**
 * Decides one {@link SettingChange} against its zone's current state, exactly as if it were alone:
 * the zone must be in the caller's scope, then each item in order must be a value of the catalogue
 * that the zone's plan allows (the value already in effect always is), then the precondition must
 * admit the first setting's current tag. What it accepts and differs from what is in effect is to
 * be stored; what is all in effect already is {@link SettingOutcome.Unchanged}. Pure: no I/O.
 */
final class SettingDecision {

    /** A decision: the outcome already, or a change to store. */
    sealed interface Decided {}

    record Final(SettingOutcome outcome) implements Decided {}

    /** A change that passed every check and writes at least one value; {@code requested} in request order. */
    record Accepted(SettingChange edit, Zone zone, ZoneSettingState before, List<Setting> requested,
            Map<Setting, SettingValue> changed) implements Decided {

        List<SettingView> views(ZoneSettingState state) {
            return requested.stream().map(state::view).toList();
        }
    }

    private SettingDecision() {}

    /** {@code zone} is null when it does not exist (or was not locked). */
    static Decided decide(SettingChange edit, Zone zone, ZoneSettingState before) {
        if (zone == null || !edit.scope().covers(zone.accountId(), zone.id())) {
            return new Final(new SettingOutcome.ZoneNotFound());
        }
        Map<Setting, SettingValue> accepted = new LinkedHashMap<>();
        for (RequestedSetting item : edit.items()) {
            if (item instanceof RequestedSetting.Unrecognized unknown) {
                return new Final(new SettingOutcome.UnrecognizedSetting(unknown.id()));
            }
            if (item instanceof RequestedSetting.Unreadable unreadable) {
                return new Final(new SettingOutcome.InvalidValue(((SettingCheck.Invalid) unreadable.setting().invalid()).message()));
            }
            RequestedSetting.Known known = (RequestedSetting.Known) item;
            SettingCheck check = known.setting().check(zone.plan(), known.value(), before.inEffect(known.setting()));
            if (check instanceof SettingCheck.NotEditable refused) {
                return new Final(new SettingOutcome.NotEditable(refused.message()));
            }
            if (check instanceof SettingCheck.Invalid invalid) {
                return new Final(new SettingOutcome.InvalidValue(invalid.message()));
            }
            accepted.put(known.setting(), ((SettingCheck.Accepted) check).value());
        }
        Setting first = accepted.keySet().iterator().next();
        if (!edit.precondition().isNone() && !edit.precondition().admits(before.view(first).etag())) {
            return new Final(new SettingOutcome.PreconditionFailed(first.id()));
        }
        Map<Setting, SettingValue> changed = new LinkedHashMap<>();
        accepted.forEach((setting, value) -> {
            if (!before.inEffect(setting).equals(value)) {
                changed.put(setting, value);
            }
        });
        Accepted change = new Accepted(edit, zone, before, new ArrayList<>(accepted.keySet()), changed);
        return changed.isEmpty() ? new Final(new SettingOutcome.Unchanged(change.views(before))) : change;
    }
}
