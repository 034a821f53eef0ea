package zoneplane.controlplane.setting;

import zoneplane.model.Setting;
import zoneplane.model.SettingValue;

/**
 * One value a caller asked for, typed: what the request said, before the zone's plan and current
 * values have been consulted. Refusals a request's text alone decides ({@link Unrecognized},
 * {@link Unreadable}) are carried, not thrown, so that they are answered after the zone is known to
 * be the caller's, as the API has always answered them.
 */
sealed interface RequestedSetting {

    /** A value of the catalogue, one of {@code setting}'s {@link Setting#allValues}. */
    record Known(Setting setting, SettingValue value) implements RequestedSetting {}

    /** A value {@code setting} can never take (a word it does not have, a JSON type it does not take). */
    record Unreadable(Setting setting) implements RequestedSetting {}

    /** No setting of the catalogue has this id. */
    record Unrecognized(String id) implements RequestedSetting {}
}
