package zoneplane.model.wire;

import java.io.StringWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import zoneplane.model.Change;

/**
 * The change stream's line protocol (NDJSON, one JSON object per line), written by the control
 * plane and read by the nodes; the one place that knows it.
 *
 * <pre>
 * change:    {"revision":13,"type":"zone_upserted","zone":{…}}   (see {@link WireFormat})
 *            {"revision":14,"type":"zone_deleted","zone_id":"…","name":"example.com"}
 * heartbeat: {"type":"heartbeat","revision":14}                  (the control plane's head revision)
 * error:     {"type":"error","message":"…"}                      (sent before the server ends the stream)
 * </pre>
 *
 * {@link #decode} tells a line that is not a JSON object, or a change without a revision, (the
 * stream is broken: reconnect) from a change that names its revision but cannot be decoded
 * ({@link Undecodable}: the reader skips it, reports it and carries on with the next revision).
 */
public sealed interface StreamLine
        permits StreamLine.ChangeLine, StreamLine.Heartbeat, StreamLine.ServerError, StreamLine.Undecodable {

    String HEARTBEAT = "heartbeat";
    String ERROR = "error";

    /** A change to apply. */
    record ChangeLine(Change change) implements StreamLine {}

    /** The control plane's head revision: everything up to it is committed. */
    record Heartbeat(long revision) implements StreamLine {}

    /** The server ends the stream and says why. */
    record ServerError(String message) implements StreamLine {}

    /**
     * A change at {@code revision} this reader cannot decode; {@code zoneId} is the zone it names, or
     * null when not even that can be read. {@code reason} is safe to log and to report.
     */
    record Undecodable(long revision, String zoneId, String reason) implements StreamLine {}

    /** The line for {@code line}, without its terminating newline. */
    static String encode(StreamLine line) {
        if (line instanceof ChangeLine change) {
            return WireFormat.changeToJson(change.change());
        }
        if (line instanceof Undecodable) {
            throw new IllegalArgumentException("an undecodable change is never written");
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = WireFormat.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            if (line instanceof Heartbeat heartbeat) {
                g.writeStringProperty("type", HEARTBEAT);
                g.writeNumberProperty("revision", heartbeat.revision());
            } else if (line instanceof ServerError error) {
                g.writeStringProperty("type", ERROR);
                g.writeStringProperty("message", error.message());
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    static String heartbeat(long revision) {
        return encode(new Heartbeat(revision));
    }

    static String error(String message) {
        return encode(new ServerError(message));
    }

    /**
     * Reads one line. Throws {@link WireFormatException} when it is not a JSON object, or is a
     * heartbeat without revision, or a change without a positive revision; a change with a revision
     * that fails to decode is an {@link Undecodable}.
     */
    static StreamLine decode(String line) {
        LineOutline outline = LineOutline.of(line);
        if (HEARTBEAT.equals(outline.type)) {
            if (outline.revision < 0) {
                throw new WireFormatException("heartbeat without revision");
            }
            return new Heartbeat(outline.revision);
        }
        if (ERROR.equals(outline.type)) {
            return new ServerError(outline.message == null ? "unspecified" : outline.message);
        }
        if (outline.revision < 1) {
            throw new WireFormatException("change without a positive revision");
        }
        try {
            return new ChangeLine(WireFormat.changeFromJson(line));
        } catch (WireFormatException e) {
            return new Undecodable(outline.revision, outline.zoneId, e.getMessage());
        }
    }
}
