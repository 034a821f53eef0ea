package zoneplane.dataplane.logpush;

import java.time.Instant;
import java.util.Locale;
import zoneplane.dataplane.usage.ExchangeRecord;
import zoneplane.model.logpush.FieldValues;
import zoneplane.model.logpush.HttpRequestsField;
import zoneplane.model.logpush.TimestampFormat;

/**
 * One {@link ExchangeRecord} as the {@code http_requests} dataset writes it, for the formatter and the job's
 * filter alike (so a filter compares what the record says). {@code ClientCountry} is lower case, as the
 * catalogue documents; timestamps are numbers in the job's unit: nanoseconds for {@code unixnano},
 * seconds for {@code unix} and {@code rfc3339}, milliseconds for {@code rfc3339ms}.
 */
record RecordValues(ExchangeRecord record, TimestampFormat format) implements FieldValues {

    @Override
    public String text(HttpRequestsField field) {
        ExchangeRecord r = record;
        return switch (field) {
            case CLIENT_IP -> r.clientIp();
            case CLIENT_COUNTRY -> r.clientCountry().toLowerCase(Locale.ROOT);
            case CLIENT_REQUEST_HOST -> r.host();
            case CLIENT_REQUEST_METHOD -> r.method();
            case CLIENT_REQUEST_URI -> r.uri();
            case CLIENT_REQUEST_PATH -> r.path();
            case CLIENT_REQUEST_QUERY -> r.query();
            case CLIENT_REQUEST_PROTOCOL -> r.protocol();
            case CLIENT_REQUEST_SCHEME -> r.scheme();
            case CLIENT_REQUEST_USER_AGENT -> r.userAgent();
            case CLIENT_REQUEST_REFERER -> r.referer();
            case CLIENT_SSL_PROTOCOL -> r.sslProtocol();
            case EDGE_RESPONSE_CONTENT_TYPE -> r.contentType();
            case EDGE_COLO_CODE -> r.nodeId();
            case EDGE_SERVER_IP -> r.serverIp();
            case ORIGIN_IP -> r.originIp();
            case RAY_ID -> r.rayId();
            case ZONE_NAME -> r.zoneName();
            case ZONEPLANE_CONNECTION_KIND -> r.kind().wireName();
            default -> throw new IllegalArgumentException(field.fieldName() + " is not a string field");
        };
    }

    @Override
    public long number(HttpRequestsField field) {
        ExchangeRecord r = record;
        return switch (field) {
            case CLIENT_SRC_PORT -> r.clientSrcPort();
            case CLIENT_REQUEST_BYTES -> r.requestBytes();
            case EDGE_START_TIMESTAMP -> timestamp(r.edgeStart());
            case EDGE_END_TIMESTAMP -> timestamp(r.edgeEnd());
            case EDGE_TIME_TO_FIRST_BYTE_MS -> Math.max(0, r.timeToFirstByteMillis());
            case EDGE_RESPONSE_STATUS -> r.edgeStatus();
            case EDGE_RESPONSE_BYTES -> r.edgeResponseBytes();
            case EDGE_RESPONSE_BODY_BYTES -> r.edgeResponseBodyBytes();
            case ORIGIN_RESPONSE_STATUS -> r.originStatus();
            case ORIGIN_RESPONSE_DURATION_MS -> r.originDurationMillis();
            default -> throw new IllegalArgumentException(field.fieldName() + " is not a number field");
        };
    }

    private long timestamp(Instant instant) {
        return switch (format) {
            case UNIXNANO -> instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
            case UNIX, RFC3339 -> instant.getEpochSecond();
            case RFC3339MS -> instant.toEpochMilli();
        };
    }
}
