package zoneplane.model.wire;

import tools.jackson.core.JsonGenerator;
import zoneplane.model.SettingValue;

/**
 * The one rule for a setting value in JSON: a size in megabytes is a JSON integer, a word a JSON
 * string. Used by the wire format, the API's views and catalogue, the stored {@code jsonb} values and
 * the audit log alike, so that they cannot drift apart.
 */
public final class SettingJson {

    private SettingJson() {}

    /** The value as a JSON-serializable object: an {@link Integer} for megabytes, a {@link String} for a word. */
    public static Object value(SettingValue value) {
        if (value instanceof SettingValue.Megabytes size) {
            return size.megabytes();
        }
        return value.text();
    }

    /** Writes {@code name: value} into the object the generator is in. */
    public static void write(JsonGenerator g, String name, SettingValue value) {
        if (value(value) instanceof Integer megabytes) {
            g.writeNumberProperty(name, megabytes);
        } else {
            g.writeStringProperty(name, value.text());
        }
    }
}
