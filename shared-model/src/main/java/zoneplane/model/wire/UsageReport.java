package zoneplane.model.wire;

import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;

/**
 * What a node measured of its zones' traffic in closed minutes, as it ships them to the control
 * plane ({@code POST /internal/v1/nodes/{node_id}/usage}, gzip):
 * <pre>
 * {"node_id":"edge-1","minutes":[
 *   {"zone_id":"…32 hex…","minute":"2026-12-07T14:05:00Z",
 *    "http":[{"country":"US","status":200,"protocol":"HTTP/1.1","kind":"http","ssl_protocol":"TLSv1.3",
 *             "host":"example.com","content_type":"text/html",
 *             "requests":12,"bytes_to_client":34567,"bytes_from_client":890}, …],
 *    "uniques":"…base64 of a mergeable cardinality sketch of visitor addresses…",
 *    "websockets":{"opened":1,"closed_normal":0,"closed_abnormal":0,"peak_concurrent":1,
 *                  "connection_seconds":60,"billable_minutes":1,"bytes_to_client":100,"bytes_to_origin":20}}]}
 * </pre>
 * One {@link ZoneMinute} per zone and minute with traffic. {@code http} holds one {@link HttpGroup}
 * per distinct dimension tuple, so any grouping of the GraphQL API (by country, status, host, …)
 * is a sum over groups; a WebSocket's upgrade is one request in the minute it opened (kind
 * {@code websocket}, status 101), and the bytes it carries later appear in a group of the same
 * tuple with {@code requests} 0 in the minute they were sent. {@code ssl_protocol} is
 * {@code "none"} for cleartext. The control plane stores a minute at most once per
 * (node, instance, zone, minute), so a retried report never counts twice.
 *
 * <p>{@code instance_id} (optional, {@code ""} when absent: reports of nodes that predate it) names the
 * node process that measured the minutes. A node that restarts within a minute flushed that minute's
 * first part on shutdown; the new process reports the rest of the same minute under its own instance,
 * so both parts count, while a retry of either (same instance) still stores once.
 */
public record UsageReport(String nodeId, String instanceId, List<ZoneMinute> minutes) {

    /** Kinds of request a group counts. */
    public static final String KIND_HTTP = "http";
    public static final String KIND_WEBSOCKET = "websocket";
    public static final String KIND_GRPC = "grpc";
    /** {@code ssl_protocol} of a cleartext request. */
    public static final String NO_TLS = "none";

    public UsageReport {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(instanceId, "instanceId");
        minutes = List.copyOf(minutes);
    }

    /** A report without an instance id (as nodes before it sent them). */
    public UsageReport(String nodeId, List<ZoneMinute> minutes) {
        this(nodeId, "", minutes);
    }

    /** One zone's traffic on one node in one minute ({@code minute} is its start, whole minutes, UTC). */
    public record ZoneMinute(String zoneId, Instant minute, List<HttpGroup> http, byte[] uniques,
            WebSocketMinute websockets) {
        public ZoneMinute {
            Objects.requireNonNull(zoneId, "zoneId");
            Objects.requireNonNull(minute, "minute");
            if (!minute.truncatedTo(ChronoUnit.MINUTES).equals(minute)) {
                throw new IllegalArgumentException("minute must be a whole minute: " + minute);
            }
            http = List.copyOf(http);
            uniques = uniques == null ? new byte[0] : uniques.clone();
            Objects.requireNonNull(websockets, "websockets");
        }

        @Override
        public byte[] uniques() {
            return uniques.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ZoneMinute that && zoneId.equals(that.zoneId) && minute.equals(that.minute)
                    && http.equals(that.http) && java.util.Arrays.equals(uniques, that.uniques)
                    && websockets.equals(that.websockets);
        }

        @Override
        public int hashCode() {
            return Objects.hash(zoneId, minute, http, java.util.Arrays.hashCode(uniques), websockets);
        }
    }

    /** Requests and bytes of one dimension tuple; every text field is non-null (unknown is {@code ""}). */
    public record HttpGroup(String country, int status, String protocol, String kind, String sslProtocol,
            String host, String contentType, long requests, long bytesToClient, long bytesFromClient) {
        public HttpGroup {
            Objects.requireNonNull(country, "country");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sslProtocol, "sslProtocol");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(contentType, "contentType");
            if (requests < 0 || bytesToClient < 0 || bytesFromClient < 0) {
                throw new IllegalArgumentException("counts are never negative");
            }
        }

        public boolean encrypted() {
            return !NO_TLS.equals(sslProtocol);
        }
    }

    /**
     * WebSocket connections of the zone in the minute: opened, closed (normal close frame or not), the
     * most open at once, seconds of connection time that fell in the minute, billable minutes
     * (per connection, rounded up: each full minute of a connection's life counts when it completes and
     * a started one when the connection closes), and message bytes each way.
     */
    public record WebSocketMinute(long opened, long closedNormal, long closedAbnormal, long peakConcurrent,
            long connectionSeconds, long billableMinutes, long bytesToClient, long bytesToOrigin) {
        public static final WebSocketMinute NONE = new WebSocketMinute(0, 0, 0, 0, 0, 0, 0, 0);

        public WebSocketMinute {
            if (opened < 0 || closedNormal < 0 || closedAbnormal < 0 || peakConcurrent < 0 || connectionSeconds < 0
                    || billableMinutes < 0 || bytesToClient < 0 || bytesToOrigin < 0) {
                throw new IllegalArgumentException("counts are never negative");
            }
        }
    }

    public String toJson() {
        StringWriter out = new StringWriter(256 + 256 * minutes.size());
        try (JsonGenerator g = WireFormat.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("node_id", nodeId);
            if (!instanceId.isEmpty()) {
                g.writeStringProperty("instance_id", instanceId);
            }
            g.writeName("minutes");
            g.writeStartArray();
            for (ZoneMinute minute : minutes) {
                writeMinute(g, minute);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    /** The report in {@code json}; anything else throws {@link WireFormatException} (safe to show the sender). */
    public static UsageReport fromJson(String json) {
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
        g.writeStringProperty("uniques", Base64.getEncoder().encodeToString(minute.uniques));
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
        String country = "", protocol = "", kind = KIND_HTTP, ssl = NO_TLS, host = "", contentType = "";
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

    private static String text(JsonParser p, JsonToken token, String field) {
        expect(token, JsonToken.VALUE_STRING, field);
        return p.getString();
    }

    private static long number(JsonParser p, JsonToken token, String field) {
        expect(token, JsonToken.VALUE_NUMBER_INT, field);
        return p.getLongValue();
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

    private static void expect(JsonToken actual, JsonToken expected, String field) {
        if (actual != expected) {
            throw new WireFormatException(field + ": expected " + expected + " but found " + actual);
        }
    }
}
