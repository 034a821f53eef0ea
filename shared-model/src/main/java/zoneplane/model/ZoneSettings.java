package zoneplane.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The effective value of every catalogue setting for one zone: stored values where the zone set one,
 * plan defaults elsewhere. Immutable; values are the catalogue's canonical instances, so an instance
 * costs one small array per zone. Lookups are array reads by {@link Setting#ordinal()}.
 */
public final class ZoneSettings {

    private static final Setting[] SETTINGS = Setting.values();

    private final SettingValue[] values;

    private ZoneSettings(SettingValue[] values) {
        this.values = values;
    }

    /** Every setting at its default for {@code plan}. */
    public static ZoneSettings defaultsFor(Plan plan) {
        SettingValue[] values = new SettingValue[SETTINGS.length];
        for (Setting setting : SETTINGS) {
            values[setting.ordinal()] = setting.defaultFor(plan);
        }
        return new ZoneSettings(values);
    }

    /** Defaults for {@code plan}, overlaid with {@code chosen}; each chosen value must be one of its setting's values. */
    public static ZoneSettings of(Plan plan, Map<Setting, SettingValue> chosen) {
        ZoneSettings settings = defaultsFor(plan);
        for (Map.Entry<Setting, SettingValue> entry : chosen.entrySet()) {
            settings.values[entry.getKey().ordinal()] = canonical(entry.getKey(), entry.getValue());
        }
        return settings;
    }

    /**
     * The effective settings of a zone from what storage holds: {@code stored} maps setting ids to
     * value texts ({@code "off"}, {@code "200"}). Unknown ids, unknown values and values the plan does
     * not permit (after a downgrade, say) are ignored, so the plan default applies to them. Both
     * planes use this one rule, so the API and the edge always agree on what is in effect.
     */
    public static ZoneSettings effective(Plan plan, Map<String, String> stored) {
        ZoneSettings settings = defaultsFor(plan);
        stored.forEach((id, text) -> Setting.fromId(id)
                .ifPresent(setting -> setting.value(text)
                        .filter(value -> setting.permits(plan, value))
                        .ifPresent(value -> settings.values[setting.ordinal()] = value)));
        return settings;
    }

    public SettingValue get(Setting setting) {
        return values[setting.ordinal()];
    }

    /**
     * An on/off setting's value: whether it is {@code on}.
     *
     * @throws IllegalArgumentException for a setting that is not on/off ({@link Setting#isOnOff})
     */
    public boolean toggle(Setting setting) {
        if (!setting.isOnOff()) {
            throw new IllegalArgumentException(setting.id() + " is not an on/off setting");
        }
        return setting.on().equals(values[setting.ordinal()]);
    }

    /**
     * A size setting's value.
     *
     * @throws IllegalArgumentException for a setting whose values are not sizes
     */
    public SettingValue.Megabytes megabytes(Setting setting) {
        if (values[setting.ordinal()] instanceof SettingValue.Megabytes size) {
            return size;
        }
        throw new IllegalArgumentException(setting.id() + " is not a size setting");
    }

    /**
     * A word setting's value ({@code add_header}); on/off settings read better with {@link #toggle}.
     *
     * @throws IllegalArgumentException for a setting whose values are not words
     */
    public SettingValue.Word word(Setting setting) {
        if (values[setting.ordinal()] instanceof SettingValue.Word word) {
            return word;
        }
        throw new IllegalArgumentException(setting.id() + " is not a word setting");
    }

    /** A copy with one value replaced. */
    public ZoneSettings with(Setting setting, SettingValue value) {
        SettingValue[] copy = values.clone();
        copy[setting.ordinal()] = canonical(setting, value);
        return new ZoneSettings(copy);
    }

    /** Every setting with its value, in catalogue order. */
    public Map<Setting, SettingValue> asMap() {
        Map<Setting, SettingValue> map = new LinkedHashMap<>();
        for (Setting setting : SETTINGS) {
            map.put(setting, values[setting.ordinal()]);
        }
        return map;
    }

    private static SettingValue canonical(Setting setting, SettingValue value) {
        Objects.requireNonNull(value, setting.id());
        return setting.value(value.text())
                .filter(v -> v.equals(value))
                .orElseThrow(() -> new IllegalArgumentException(value.text() + " is not a value of " + setting.id()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ZoneSettings that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
