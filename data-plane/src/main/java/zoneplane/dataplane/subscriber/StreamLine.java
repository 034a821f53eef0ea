package zoneplane.dataplane.subscriber;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import zoneplane.model.Change;
import zoneplane.model.wire.WireFormat;
import zoneplane.model.wire.WireFormatException;

/**
 * One line of the control plane's change stream (NDJSON): a change, a heartbeat carrying the latest
 * revision, or an error the server sends before ending the stream.
 */
sealed interface StreamLine permits StreamLine.ChangeLine, StreamLine.Heartbeat, StreamLine.ServerError {

    record ChangeLine(Change change) implements StreamLine {}

    record Heartbeat(long revision) implements StreamLine {}

    record ServerError(String message) implements StreamLine {}

    JsonFactory JSON = new JsonFactory();

    /** Parses a line; malformed input throws {@link WireFormatException}. */
    static StreamLine parse(String line) {
        String type = null;
        long revision = -1;
        String message = null;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new WireFormatException("stream line is not a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                    type = p.getString();
                } else if ("revision".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    revision = p.getLongValue();
                } else if ("message".equals(field) && value == JsonToken.VALUE_STRING) {
                    message = p.getString();
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new WireFormatException("malformed stream line: " + e.getOriginalMessage(), e);
        }
        if ("heartbeat".equals(type)) {
            if (revision < 0) {
                throw new WireFormatException("heartbeat without revision");
            }
            return new Heartbeat(revision);
        }
        if ("error".equals(type)) {
            return new ServerError(message == null ? "unspecified" : message);
        }
        return new ChangeLine(WireFormat.changeFromJson(line));
    }
}
