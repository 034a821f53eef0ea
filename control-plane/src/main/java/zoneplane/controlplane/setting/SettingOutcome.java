package zoneplane.controlplane.setting;

import java.util.List;

/**
 * What became of one {@link SettingChange}. Only {@link Stored} wrote anything; every other outcome
 * left the zone as it was. The API maps each to its answer ({@code SettingAnswers}).
 */
sealed interface SettingOutcome {

    /** Written, as config revision {@code revision}; {@code settings} in the request's order. */
    record Stored(List<SettingView> settings, long revision) implements SettingOutcome {}

    /** Every value asked for was already in effect: nothing written, no revision. */
    record Unchanged(List<SettingView> settings) implements SettingOutcome {}

    /** No such zone in the caller's scope. */
    record ZoneNotFound() implements SettingOutcome {}

    record UnrecognizedSetting(String id) implements SettingOutcome {}

    /** The catalogue's message: a value the setting cannot take. */
    record InvalidValue(String message) implements SettingOutcome {}

    /** The catalogue's message: a value the zone's plan may not choose. */
    record NotEditable(String message) implements SettingOutcome {}

    /** The precondition does not admit the setting's current entity tag. */
    record PreconditionFailed(String settingId) implements SettingOutcome {}
}
