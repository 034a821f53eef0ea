package zoneplane.model.wire;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

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

    /** The report as nodes send it (see the class comment). */
    public String toJson() {
        return UsageReportJson.write(this);
    }

    /** The report in {@code json}; anything else throws {@link WireFormatException} (safe to show the sender). */
    public static UsageReport fromJson(String json) {
        return UsageReportJson.read(json);
    }
}
