package zoneplane.controlplane.setting;

import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.SettingCheck;
import zoneplane.model.SettingValue;

/**
 * Decides a requested value through the catalogue only: JSON strings and integers go to
 * {@link Setting#check}, any other JSON type is {@link Setting#invalid()}. Invalid → 400 (1007),
 * not allowed on the plan → 403 (1057), both with the catalogue's message. The value already in
 * effect is always accepted (a no-op), whatever the plan allows.
 */
final class RequestedValue {

    private RequestedValue() {}

    static SettingValue accept(Setting setting, Plan plan, JsonNode value, SettingValue inEffect) {
        SettingCheck check;
        if (value.isString()) {
            check = setting.check(plan, value.stringValue(), inEffect);
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            check = setting.check(plan, value.longValue(), inEffect);
        } else {
            check = setting.invalid();
        }
        if (check instanceof SettingCheck.Accepted accepted) {
            return accepted.value();
        }
        if (check instanceof SettingCheck.NotEditable refused) {
            throw new ApiException(ApiErrorCode.SETTING_NOT_EDITABLE, refused.message());
        }
        throw new ApiException(ApiErrorCode.INVALID_SETTING_VALUE, ((SettingCheck.Invalid) check).message());
    }

    /** The catalogue entry for an id from the path or an item, or 404 (1006). */
    static Setting setting(String id) {
        return Setting.fromId(id).orElseThrow(() -> new ApiException(ApiErrorCode.UNRECOGNIZED_SETTING,
                "Unrecognized zone setting name: " + (id.length() > 64 ? id.substring(0, 64) + "…" : id)));
    }
}
