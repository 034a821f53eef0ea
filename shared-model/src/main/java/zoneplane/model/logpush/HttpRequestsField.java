package zoneplane.model.logpush;

import java.util.List;
import java.util.Optional;

/**
 * The {@code http_requests} dataset: every field this edge knows, by Cloudflare's name, with its
 * type and what it holds. The catalogue is data both planes read: the control plane lists it
 * ({@code GET /zones/{id}/logpush/datasets/http_requests/fields}) and validates a job's
 * {@code field_names} and filter keys against it; the edge writes records from it, in the order a
 * job lists its fields. A WebSocket is one record, written when it closes: the start and end
 * timestamps span the connection and {@code EdgeResponseBytes} counts everything sent to the
 * visitor over its life. {@link #ZONEPLANE_CONNECTION_KIND} is Zoneplane's own field.
 */
public enum HttpRequestsField {
    CLIENT_IP("ClientIP", FieldType.STRING, "IP address of the visitor (after PROXY protocol or a trusted X-Forwarded-For)"),
    CLIENT_SRC_PORT("ClientSrcPort", FieldType.INT, "Source port of the visitor's connection"),
    CLIENT_COUNTRY("ClientCountry", FieldType.STRING, "Country of the visitor's IP, ISO 3166-1 alpha-2 in lower case (xx unknown, t1 Tor)"),
    CLIENT_REQUEST_HOST("ClientRequestHost", FieldType.STRING, "Host the visitor asked for (Host or :authority, without port)"),
    CLIENT_REQUEST_METHOD("ClientRequestMethod", FieldType.STRING, "HTTP method of the request"),
    CLIENT_REQUEST_URI("ClientRequestURI", FieldType.STRING, "Path and query string the visitor sent"),
    CLIENT_REQUEST_PATH("ClientRequestPath", FieldType.STRING, "Path of the request, without the query string"),
    CLIENT_REQUEST_QUERY("ClientRequestQuery", FieldType.STRING, "Query string of the request, without the leading '?' (empty when none)"),
    CLIENT_REQUEST_PROTOCOL("ClientRequestProtocol", FieldType.STRING, "HTTP version the visitor spoke (HTTP/1.0, HTTP/1.1, HTTP/2)"),
    CLIENT_REQUEST_SCHEME("ClientRequestScheme", FieldType.STRING, "Scheme of the visitor's request (http or https)"),
    CLIENT_REQUEST_BYTES("ClientRequestBytes", FieldType.INT, "Bytes the visitor sent in the request (head and body)"),
    CLIENT_REQUEST_USER_AGENT("ClientRequestUserAgent", FieldType.STRING, "User-Agent header of the request"),
    CLIENT_REQUEST_REFERER("ClientRequestReferer", FieldType.STRING, "Referer header of the request"),
    CLIENT_SSL_PROTOCOL("ClientSSLProtocol", FieldType.STRING, "TLS version of the visitor's connection (TLSv1.2, TLSv1.3), none for cleartext"),
    EDGE_START_TIMESTAMP("EdgeStartTimestamp", FieldType.TIMESTAMP, "When the edge received the request (a WebSocket: when the upgrade arrived)"),
    EDGE_END_TIMESTAMP("EdgeEndTimestamp", FieldType.TIMESTAMP, "When the edge finished the response (a WebSocket: when the connection closed)"),
    EDGE_TIME_TO_FIRST_BYTE_MS("EdgeTimeToFirstByteMs", FieldType.INT, "Milliseconds from the request's arrival to the first response byte sent to the visitor"),
    EDGE_RESPONSE_STATUS("EdgeResponseStatus", FieldType.INT, "HTTP status the edge answered the visitor with (101 for a WebSocket)"),
    EDGE_RESPONSE_BYTES("EdgeResponseBytes", FieldType.INT, "Bytes sent to the visitor, head and body (a WebSocket: everything over its life)"),
    EDGE_RESPONSE_BODY_BYTES("EdgeResponseBodyBytes", FieldType.INT, "Bytes of response body sent to the visitor"),
    EDGE_RESPONSE_CONTENT_TYPE("EdgeResponseContentType", FieldType.STRING, "Content-Type of the response sent to the visitor"),
    EDGE_COLO_CODE("EdgeColoCode", FieldType.STRING, "Id of the edge node that served the request (Zoneplane's node_id)"),
    EDGE_SERVER_IP("EdgeServerIP", FieldType.STRING, "IP address of the edge listener the visitor connected to"),
    ORIGIN_IP("OriginIP", FieldType.STRING, "IP address of the origin the edge connected to (empty when the origin was not contacted)"),
    ORIGIN_RESPONSE_STATUS("OriginResponseStatus", FieldType.INT, "HTTP status the origin answered (0 when the origin was not contacted)"),
    ORIGIN_RESPONSE_DURATION_MS("OriginResponseDurationMs", FieldType.INT, "Milliseconds from sending the request to the origin to its response head"),
    RAY_ID("RayID", FieldType.STRING, "Ray id of the request, as in the CF-Ray header"),
    ZONE_NAME("ZoneName", FieldType.STRING, "Name of the zone that served the request"),
    ZONEPLANE_CONNECTION_KIND("ZoneplaneConnectionKind", FieldType.STRING, "Zoneplane field: kind of exchange, http, websocket or grpc");

    /** The dataset's name in the API. */
    public static final String DATASET = "http_requests";

    /**
     * The fields of a job created without {@code output_options.field_names}: when and what was
     * asked, how it was answered, and the ray id to find it again.
     */
    public static final List<HttpRequestsField> DEFAULT_FIELDS = List.of(CLIENT_IP, CLIENT_REQUEST_HOST,
            CLIENT_REQUEST_METHOD, CLIENT_REQUEST_URI, EDGE_END_TIMESTAMP, EDGE_RESPONSE_BYTES, EDGE_RESPONSE_STATUS,
            EDGE_START_TIMESTAMP, RAY_ID);

    private final String fieldName;
    private final FieldType type;
    private final String description;

    HttpRequestsField(String fieldName, FieldType type, String description) {
        this.fieldName = fieldName;
        this.type = type;
        this.description = description;
    }

    /** Cloudflare's name of the field ({@code ClientIP}); the key of the field in a record. */
    public String fieldName() {
        return fieldName;
    }

    public FieldType type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** The field of this name; names are case-sensitive, as Cloudflare's are. */
    public static Optional<HttpRequestsField> named(String name) {
        for (HttpRequestsField field : values()) {
            if (field.fieldName.equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
