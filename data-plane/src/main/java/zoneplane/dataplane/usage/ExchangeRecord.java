package zoneplane.dataplane.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished exchange as the edge saw it: an HTTP request and its response, a gRPC call, or a whole
 * WebSocket connection (one record when it closes; {@link #edgeStart} and {@link #edgeEnd} span the
 * connection and {@link #edgeResponseBytes} is everything sent to the visitor over its life). The
 * fields are those of Cloudflare's {@code http_requests} Logpush dataset (issue 23) that this edge knows;
 * every text field is non-null ({@code ""} when unknown), numbers are 0 when unknown.
 *
 * @param kind http, websocket or grpc
 * @param rayId the request's {@code CF-Ray}
 * @param zoneId the routed zone's id, {@code ""} when no zone matched
 * @param zoneName the routed zone's name, {@code ""} when no zone matched
 * @param nodeId this node ({@code EdgeColoCode})
 * @param clientIp the visitor's address as the edge trusts it (PROXY protocol / trusted proxy applied)
 * @param clientSrcPort the visitor's source port (0 when a trusted proxy named the visitor without one)
 * @param clientCountry what {@code CF-IPCountry} carries for the visitor ({@code T1} Tor, {@code XX}
 *     unknown), whether or not the zone has ip_geolocation on
 * @param host the request's Host / :authority
 * @param uri the request target (path and query)
 * @param protocol {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}
 * @param scheme {@code http} or {@code https} (the visitor's)
 * @param sslProtocol the TLS version of the visitor's connection, {@code "none"} in cleartext
 * @param requestBytes bytes read from the visitor for this exchange, headers included
 * @param timeToFirstByteMillis from the start to the response's first byte (-1 if none was sent)
 * @param edgeStatus the status the visitor got (499: the visitor left before its response started)
 * @param edgeResponseBytes bytes written to the visitor, headers included
 * @param edgeResponseBodyBytes of those, the response body's
 * @param contentType the response's Content-Type (without parameters)
 * @param serverIp the edge address the visitor connected to
 * @param originIp the origin address answered from ({@code ""} when no origin answered or unknown)
 * @param originStatus the origin's status (0 when the edge answered itself)
 * @param originDurationMillis from sending to the origin until its response head (0 when none)
 * @param closedCleanly for a WebSocket: it ended with a close frame (normal); false when a connection
 *     was lost without one. Always true for other kinds.
 */
public record ExchangeRecord(Kind kind, String rayId, String zoneId, String zoneName, String nodeId,
        String clientIp, int clientSrcPort, String clientCountry, String host, String method, String uri,
        String protocol, String scheme, String sslProtocol, String userAgent, String referer, long requestBytes,
        Instant edgeStart, Instant edgeEnd, long timeToFirstByteMillis, int edgeStatus, long edgeResponseBytes,
        long edgeResponseBodyBytes, String contentType, String serverIp, String originIp, int originStatus,
        long originDurationMillis, boolean closedCleanly) {

    /** What kind of exchange a record describes; {@link #wireName()} is the dataset's value. */
    public enum Kind {
        HTTP("http"), WEBSOCKET("websocket"), GRPC("grpc");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public ExchangeRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(edgeStart, "edgeStart");
        Objects.requireNonNull(edgeEnd, "edgeEnd");
        rayId = text(rayId);
        zoneId = text(zoneId);
        zoneName = text(zoneName);
        nodeId = text(nodeId);
        clientIp = text(clientIp);
        clientCountry = text(clientCountry);
        host = text(host);
        method = text(method);
        uri = text(uri);
        protocol = text(protocol);
        scheme = text(scheme);
        sslProtocol = text(sslProtocol);
        userAgent = text(userAgent);
        referer = text(referer);
        contentType = text(contentType);
        serverIp = text(serverIp);
        originIp = text(originIp);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** {@code ClientRequestPath}: the target up to its query. */
    public String path() {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** {@code ClientRequestQuery}: the query without its {@code ?}, {@code ""} without one. */
    public String query() {
        int query = uri.indexOf('?');
        return query < 0 ? "" : uri.substring(query + 1);
    }

    /** Whether the visitor's connection was TLS. */
    public boolean encrypted() {
        return !"none".equals(sslProtocol) && !sslProtocol.isEmpty();
    }

    /** Whether a zone was routed (a record without one is not any zone's traffic). */
    public boolean hasZone() {
        return !zoneId.isEmpty();
    }
}
