package zoneplane.controlplane.setting;

import java.util.List;
import zoneplane.controlplane.api.ApiErrorCode;
import zoneplane.controlplane.api.ApiException;
import zoneplane.controlplane.changelog.Applied;
import zoneplane.controlplane.zone.ZoneRepository;

/**
 * The API's answer to each {@link SettingOutcome}: the stored or unchanged views, or the refusal as
 * an {@link ApiException} for the one exception handler (404 for a zone outside the caller's scope,
 * 404/1006 unknown setting, 400/1007 invalid value, 403/1057 not on this plan, 412 If-Match).
 */
final class SettingAnswers {

    private SettingAnswers() {}

    static Applied<List<SettingView>> applied(SettingOutcome outcome) {
        if (outcome instanceof SettingOutcome.Stored stored) {
            return new Applied<>(stored.settings(), stored.revision());
        }
        if (outcome instanceof SettingOutcome.Unchanged unchanged) {
            return Applied.unchanged(unchanged.settings());
        }
        throw refusal(outcome);
    }

    private static ApiException refusal(SettingOutcome outcome) {
        if (outcome instanceof SettingOutcome.ZoneNotFound) {
            return ZoneRepository.notFound();
        }
        if (outcome instanceof SettingOutcome.UnrecognizedSetting unknown) {
            return RequestedValue.unrecognized(unknown.id());
        }
        if (outcome instanceof SettingOutcome.InvalidValue invalid) {
            return new ApiException(ApiErrorCode.INVALID_SETTING_VALUE, invalid.message());
        }
        if (outcome instanceof SettingOutcome.NotEditable refused) {
            return new ApiException(ApiErrorCode.SETTING_NOT_EDITABLE, refused.message());
        }
        if (outcome instanceof SettingOutcome.PreconditionFailed failed) {
            return new ApiException(ApiErrorCode.PRECONDITION_FAILED, "If-Match does not match the current ETag of " + failed.settingId());
        }
        throw new IllegalStateException("no answer for " + outcome);
    }
}
