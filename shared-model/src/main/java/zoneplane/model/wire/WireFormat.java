package zoneplane.model.wire;

import java.io.StringWriter;
import java.util.EnumMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.model.Change;
import zoneplane.model.Plan;
import zoneplane.model.Setting;
import zoneplane.model.SettingRule;
import zoneplane.model.SettingValue;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * JSON encoding of zone configurations and changes, shared by both planes (streaming, no tree).
 *
 * <pre>
 * zone:   {"id":"…","name":"example.com","plan":"free","origin":"http://…"|null,"paused":false,
 *          "settings":{"websockets":"on",…,"max_upload":100}}
 * change: {"revision":13,"type":"zone_upserted","zone":{…}}
 *         {"revision":14,"type":"zone_deleted","zone_id":"…","name":"example.com"}
 * </pre>
 *
 * Readers ignore unknown fields and unknown setting ids (a newer control plane may know more
 * settings than an older edge node), and fill settings missing from the input with plan defaults.
 * Malformed input throws {@link WireFormatException}.
 */
public final class WireFormat {

    public static final String ZONE_UPSERTED = "zone_upserted";
    public static final String ZONE_DELETED = "zone_deleted";

    static final JsonFactory FACTORY = new JsonFactory();

    private WireFormat() {}

    public static String zoneToJson(ZoneConfig zone) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            writeZone(g, zone);
        }
        return out.toString();
    }

    public static ZoneConfig zoneFromJson(String json) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            ZoneConfig zone = readZone(p);
            expectEnd(p);
            return zone;
        } catch (tools.jackson.core.JacksonException e) {
            throw new WireFormatException("malformed zone JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String changeToJson(Change change) {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeNumberProperty("revision", change.revision());
            // Java 17 has no pattern switch; Change is sealed to exactly these two records.
            if (change instanceof Change.ZoneUpserted upserted) {
                g.writeStringProperty("type", ZONE_UPSERTED);
                g.writeName("zone");
                writeZone(g, upserted.zone());
            } else if (change instanceof Change.ZoneDeleted deleted) {
                g.writeStringProperty("type", ZONE_DELETED);
                g.writeStringProperty("zone_id", deleted.zoneId());
                g.writeStringProperty("name", deleted.name());
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    public static Change changeFromJson(String json) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            Change change = readChange(p);
            expectEnd(p);
            return change;
        } catch (tools.jackson.core.JacksonException e) {
            throw new WireFormatException("malformed change JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes one zone object at the generator's current position. */
    public static void writeZone(JsonGenerator g, ZoneConfig zone) {
        g.writeStartObject();
        g.writeStringProperty("id", zone.id());
        g.writeStringProperty("name", zone.name());
        g.writeStringProperty("plan", zone.plan().id());
        if (zone.hasOrigin()) {
            g.writeStringProperty("origin", zone.origin());
        } else {
            g.writeNullProperty("origin");
        }
        g.writeBooleanProperty("paused", zone.paused());
        g.writeName("settings");
        g.writeStartObject();
        for (Map.Entry<Setting, SettingValue> entry : zone.settings().asMap().entrySet()) {
            SettingJson.write(g, entry.getKey().id(), entry.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Reads one zone object; the parser stands on its START_OBJECT and is left on its END_OBJECT. */
    public static ZoneConfig readZone(JsonParser p) {
        String id = null;
        String name = null;
        Plan plan = null;
        String origin = "";
        boolean paused = false;
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = text(p, value, field);
                case "name" -> name = text(p, value, field);
                case "plan" -> {
                    String planId = text(p, value, field);
                    plan = Plan.fromId(planId).orElseThrow(() -> new WireFormatException("unknown plan " + planId));
                }
                case "origin" -> origin = value == JsonToken.VALUE_NULL ? "" : text(p, value, field);
                case "paused" -> paused = bool(value, field);
                case "settings" -> readSettings(p, value, settings);
                default -> p.skipChildren();
            }
        }
        if (id == null || name == null || plan == null) {
            throw new WireFormatException("zone needs id, name and plan");
        }
        try {
            return new ZoneConfig(id, name, plan, origin, paused, settingsFor(plan, settings));
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(e.getMessage(), e);
        }
    }

    /** Reads one change object; the parser stands on its START_OBJECT and is left on its END_OBJECT. */
    public static Change readChange(JsonParser p) {
        long revision = -1;
        String type = null;
        ZoneConfig zone = null;
        String zoneId = null;
        String name = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "revision" -> {
                    expect(p, value, JsonToken.VALUE_NUMBER_INT);
                    revision = p.getLongValue();
                }
                case "type" -> type = text(p, value, field);
                case "zone" -> {
                    expect(p, value, JsonToken.START_OBJECT);
                    zone = readZone(p);
                }
                case "zone_id" -> zoneId = text(p, value, field);
                case "name" -> name = text(p, value, field);
                default -> p.skipChildren();
            }
        }
        if (revision < 1) {
            throw new WireFormatException("change needs a positive revision");
        }
        if (ZONE_UPSERTED.equals(type) && zone != null) {
            return new Change.ZoneUpserted(revision, zone);
        }
        if (ZONE_DELETED.equals(type) && zoneId != null && name != null) {
            return new Change.ZoneDeleted(revision, zoneId, name);
        }
        throw new WireFormatException("unknown or incomplete change of type " + type);
    }

    private static void readSettings(JsonParser p, JsonToken start, Map<Setting, String> into) {
        expect(p, start, JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            Setting setting = Setting.fromId(field).orElse(null);
            if (setting == null) {
                p.skipChildren();
                continue;
            }
            boolean wordExpected = setting.kind() == SettingRule.Kind.WORD;
            expect(p, value, wordExpected ? JsonToken.VALUE_STRING : JsonToken.VALUE_NUMBER_INT);
            into.put(setting, p.getString());
        }
    }

    private static ZoneSettings settingsFor(Plan plan, Map<Setting, String> texts) {
        Map<Setting, SettingValue> chosen = new EnumMap<>(Setting.class);
        texts.forEach((setting, text) -> chosen.put(setting, setting.value(text)
                .orElseThrow(() -> new WireFormatException(text + " is not a value of " + setting.id()))));
        return ZoneSettings.of(plan, chosen);
    }

    private static String text(JsonParser p, JsonToken token, String field) {
        if (token != JsonToken.VALUE_STRING) {
            throw new WireFormatException(field + " must be a string");
        }
        return p.getString();
    }

    private static boolean bool(JsonToken token, String field) {
        if (token == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (token == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw new WireFormatException(field + " must be a boolean");
    }

    static void expect(JsonParser p, JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new WireFormatException("expected " + expected + " but found " + actual + " at "
                    + p.currentLocation().offsetDescription());
        }
    }

    private static void expectEnd(JsonParser p) {
        if (p.nextToken() != null) {
            throw new WireFormatException("trailing content after JSON value");
        }
    }
}
