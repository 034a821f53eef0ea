package zoneplane.model.wire;

import java.io.InputStream;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import zoneplane.model.ZoneConfig;

/**
 * Reads a snapshot document written by {@link SnapshotWriter}, handing each zone to a consumer as it
 * is parsed. The document must be complete: a truncated or malformed one throws
 * {@link WireFormatException}, so a caller building a view from it can keep its old view instead.
 */
public final class SnapshotReader {

    private SnapshotReader() {}

    /** Parses the whole document and returns its revision; {@code zones} sees every zone in order. */
    public static long read(InputStream in, Consumer<ZoneConfig> zones) {
        try (JsonParser p = WireFormat.FACTORY.createParser(ObjectReadContext.empty(), in)) {
            WireFormat.expect(p, p.nextToken(), JsonToken.START_OBJECT);
            long revision = -1;
            boolean sawZones = false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("revision".equals(field)) {
                    WireFormat.expect(p, value, JsonToken.VALUE_NUMBER_INT);
                    revision = p.getLongValue();
                } else if ("zones".equals(field)) {
                    WireFormat.expect(p, value, JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        zones.accept(WireFormat.readZone(p));
                    }
                    WireFormat.expect(p, p.currentToken(), JsonToken.END_ARRAY);
                    sawZones = true;
                } else {
                    p.skipChildren();
                }
            }
            WireFormat.expect(p, p.currentToken(), JsonToken.END_OBJECT);
            if (revision < 0 || !sawZones) {
                throw new WireFormatException("snapshot needs a revision and a zones array");
            }
            if (p.nextToken() != null) {
                throw new WireFormatException("trailing content after snapshot");
            }
            return revision;
        } catch (JacksonException e) {
            throw new WireFormatException("malformed snapshot: " + e.getOriginalMessage(), e);
        }
    }
}
