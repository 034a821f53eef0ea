package zoneplane.model.wire;

import java.io.OutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import zoneplane.model.ZoneConfig;

/**
 * Streams a snapshot document {@code {"revision":n,"zones":[zone,…]}} one zone at a time, so a
 * snapshot of any size is written without holding it in memory. The revision comes first so a reader
 * knows it before the first zone. Not thread-safe; closing finishes the document and the stream.
 */
public final class SnapshotWriter implements AutoCloseable {

    private final JsonGenerator generator;

    public SnapshotWriter(OutputStream out, long revision) {
        this.generator = WireFormat.FACTORY.createGenerator(ObjectWriteContext.empty(), out);
        generator.writeStartObject();
        generator.writeNumberProperty("revision", revision);
        generator.writeName("zones");
        generator.writeStartArray();
    }

    public void write(ZoneConfig zone) {
        WireFormat.writeZone(generator, zone);
    }

    public void flush() {
        generator.flush();
    }

    @Override
    public void close() {
        generator.writeEndArray();
        generator.writeEndObject();
        generator.close();
    }
}
