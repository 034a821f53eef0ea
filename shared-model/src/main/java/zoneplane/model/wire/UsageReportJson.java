package zoneplane.model.wire;

import static zoneplane.model.wire.JsonTokens.expect;
import static zoneplane.model.wire.JsonTokens.number;
import static zoneplane.model.wire.JsonTokens.text;

import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import zoneplane.model.wire.UsageReport.HttpGroup;
import zoneplane.model.wire.UsageReport.WebSocketMinute;
import zoneplane.model.wire.UsageReport.ZoneMinute;

/** {@link UsageReport}'s JSON both ways, streaming (the shape is in {@link UsageReport}'s comment). */
final class UsageReportJson {

    private UsageReportJson() {}

    static String write(UsageReport report) {
        StringWriter out = new StringWriter(256 + 256 * report.minutes().size());
        try (JsonGenerator g = WireFormat.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("node_id", report.nodeId());
            if (!report.instanceId().isEmpty()) {
                g.writeStringProperty("instance_id", report.instanceId());
            }
            g.writeName("minutes");
            g.writeStartArray();
            for (ZoneMinute minute : report.minutes()) {
                writeMinute(g, minute);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    static UsageReport read(String json) {
        try (JsonParser p = WireFormat.FACTORY.createParser(ObjectReadContext.empty(), json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "report");
            String node = null;
            String instance = "";
            List<ZoneMinute> minutes = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "node_id" -> node = text(p, value, name);
                    case "instance_id" -> instance = text(p, value, name);
                    case "minutes" -> {
                        expect(value, JsonToken.START_ARRAY, name);
                        minutes = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            minutes.add(readMinute(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new WireFormatException("trailing content after the report");
            }
            if (node == null || minutes == null) {
                throw new WireFormatException("a usage report needs node_id and minutes");
            }
            return new UsageReport(node, instance, minutes);
        } catch (JacksonException e) {
            throw new WireFormatException("malformed usage report: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireFormatException("invalid usage report: " + e.getMessage(), e);
        }
    }

    private static void writeMinute(JsonGenerator g, ZoneMinute minute) {
        g.writeStartObject();
        g.writeStringProperty("zone_id", minute.zoneId());
        g.writeStringProperty("minute", minute.minute().toString());
        g.writeName("http");
        g.writeStartArray();
        for (HttpGroup group : minute.http()) {
            g.writeStartObject();
            g.writeStringProperty("country", group.country());
            g.writeNumberProperty("status", group.status());
            g.writeStringProperty("protocol", group.protocol());
            g.writeStringProperty("kind", group.kind());
            g.writeStringProperty("ssl_protocol", group.sslProtocol());
            g.writeStringProperty("host", group.host());
            g.writeStringProperty("content_type", group.contentType());
            g.writeNumberProperty("requests", group.requests());
            g.writeNumberProperty("bytes_to_client", group.bytesToClient());
            g.writeNumberProperty("bytes_from_client", group.bytesFromClient());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringProperty("uniques", Base64.getEncoder().encodeToString(minute.uniques()));
        WebSocketMinute ws = minute.websockets();
        g.writeName("websockets");
        g.writeStartObject();
        g.writeNumberProperty("opened", ws.opened());
        g.writeNumberProperty("closed_normal", ws.closedNormal());
        g.writeNumberProperty("closed_abnormal", ws.closedAbnormal());
        g.writeNumberProperty("peak_concurrent", ws.peakConcurrent());
        g.writeNumberProperty("connection_seconds", ws.connectionSeconds());
        g.writeNumberProperty("billable_minutes", ws.billableMinutes());
        g.writeNumberProperty("bytes_to_client", ws.bytesToClient());
        g.writeNumberProperty("bytes_to_origin", ws.bytesToOrigin());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static ZoneMinute readMinute(JsonParser p) {
        String zone = null;
        Instant minute = null;
        List<HttpGroup> http = List.of();
        byte[] uniques = new byte[0];
        WebSocketMinute websockets = WebSocketMinute.NONE;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "zone_id" -> zone = text(p, value, name);
                case "minute" -> minute = instant(text(p, value, name));
                case "http" -> {
                    expect(value, JsonToken.START_ARRAY, name);
                    List<HttpGroup> groups = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        groups.add(readGroup(p));
                    }
                    http = groups;
                }
                case "uniques" -> uniques = base64(text(p, value, name));
                case "websockets" -> {
                    expect(value, JsonToken.START_OBJECT, name);
                    websockets = readWebSockets(p);
                }
                default -> p.skipChildren();
            }
        }
        if (zone == null || minute == null) {
            throw new WireFormatException("a usage minute needs zone_id and minute");
        }
        return new ZoneMinute(zone, minute, http, uniques, websockets);
    }

    private static HttpGroup readGroup(JsonParser p) {
        String country = "", protocol = "", kind = UsageReport.KIND_HTTP, ssl = UsageReport.NO_TLS, host = "", contentType = "";
        int status = 0;
        long requests = 0, toClient = 0, fromClient = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "country" -> country = text(p, value, name);
                case "status" -> status = (int) number(p, value, name);
                case "protocol" -> protocol = text(p, value, name);
                case "kind" -> kind = text(p, value, name);
                case "ssl_protocol" -> ssl = text(p, value, name);
                case "host" -> host = text(p, value, name);
                case "content_type" -> contentType = text(p, value, name);
                case "requests" -> requests = number(p, value, name);
                case "bytes_to_client" -> toClient = number(p, value, name);
                case "bytes_from_client" -> fromClient = number(p, value, name);
                default -> p.skipChildren();
            }
        }
        return new HttpGroup(country, status, protocol, kind, ssl, host, contentType, requests, toClient, fromClient);
    }

    private static WebSocketMinute readWebSockets(JsonParser p) {
        long[] v = new long[8];
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            int index = switch (name) {
                case "opened" -> 0;
                case "closed_normal" -> 1;
                case "closed_abnormal" -> 2;
                case "peak_concurrent" -> 3;
                case "connection_seconds" -> 4;
                case "billable_minutes" -> 5;
                case "bytes_to_client" -> 6;
                case "bytes_to_origin" -> 7;
                default -> -1;
            };
            if (index < 0) {
                p.skipChildren();
            } else {
                v[index] = number(p, value, name);
            }
        }
        return new WebSocketMinute(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new WireFormatException("minute is not an ISO-8601 instant: " + text, e);
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("uniques is not base64", e);
        }
    }
}
