package zoneplane.controlplane.setting;

import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.model.Setting;
import zoneplane.model.SettingRule;

/**
 * A requested value from the request's JSON to a {@link RequestedSetting}, through the catalogue
 * only: a JSON string is the value of that text, a JSON integer a size's megabytes; any other JSON
 * type (or a number for a word setting) is a value the setting can never take.
 */
final class RequestedValue {

    private RequestedValue() {}

    /** For a setting id from the path, which may name no setting (then answered after the zone is checked). */
    static RequestedSetting of(String settingId, JsonNode value) {
        return Setting.fromId(settingId).map(setting -> of(setting, value))
                .orElseGet(() -> new RequestedSetting.Unrecognized(settingId));
    }

    static RequestedSetting of(Setting setting, JsonNode value) {
        String text = null;
        if (value.isString()) {
            text = value.stringValue();
        } else if (value.isIntegralNumber() && value.canConvertToLong() && setting.kind() == SettingRule.Kind.MEGABYTES) {
            text = Long.toString(value.longValue());
        }
        return text == null ? new RequestedSetting.Unreadable(setting)
                : setting.value(text).<RequestedSetting>map(v -> new RequestedSetting.Known(setting, v))
                        .orElseGet(() -> new RequestedSetting.Unreadable(setting));
    }

    /** The catalogue entry for an id from the path or an item, or 404 (1006). */
    static Setting setting(String id) {
        return Setting.fromId(id).orElseThrow(() -> unrecognized(id));
    }

    /** 404 (1006) naming the id, cut at 64 characters. */
    static ApiException unrecognized(String id) {
        return new ApiException(ApiErrorCode.UNRECOGNIZED_SETTING,
                "Unrecognized zone setting name: " + (id.length() > 64 ? id.substring(0, 64) + "…" : id));
    }
}
