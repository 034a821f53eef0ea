package zoneplane.model.wire;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

/** The top-level fields every line is placed by, read leniently (a bad zone does not hide its id). */
final class LineOutline {
    String type;
    long revision = -1;
    String message;
    String zoneId;

    private LineOutline() {}

    static LineOutline of(String line) {
        LineOutline o = new LineOutline();
        try (JsonParser p = WireFormat.FACTORY.createParser(ObjectReadContext.empty(), line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new WireFormatException("stream line is not a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                    o.type = p.getString();
                } else if ("revision".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    o.revision = p.getLongValue();
                } else if ("message".equals(field) && value == JsonToken.VALUE_STRING) {
                    o.message = p.getString();
                } else if ("zone_id".equals(field) && value == JsonToken.VALUE_STRING) {
                    o.zoneId = p.getString();
                } else if ("zone".equals(field) && value == JsonToken.START_OBJECT) {
                    o.readZoneId(p);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new WireFormatException("trailing content after the stream line");
            }
        } catch (JacksonException e) {
            throw new WireFormatException("malformed stream line: " + e.getOriginalMessage(), e);
        }
        return o;
    }

    private void readZoneId(JsonParser p) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(field) && value == JsonToken.VALUE_STRING && zoneId == null) {
                zoneId = p.getString();
            } else {
                p.skipChildren();
            }
        }
    }
}
