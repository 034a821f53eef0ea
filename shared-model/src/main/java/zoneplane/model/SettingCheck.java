package zoneplane.model;

/**
 * The catalogue's decision on a requested value. The control plane maps {@link Invalid} to 400 with
 * Cloudflare code 1007 and {@link NotEditable} to 403 with code 1057; the message is safe to show.
 */
public sealed interface SettingCheck {

    record Accepted(SettingValue value) implements SettingCheck {}

    /** The value is not one the setting can take at all. */
    record Invalid(String message) implements SettingCheck {}

    /** The value exists, but the zone's plan may not choose it (or may not change the setting at all). */
    record NotEditable(String message) implements SettingCheck {}
}
