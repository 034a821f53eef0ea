package zoneplane.dataplane.logging;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;
import tools.jackson.core.io.JsonStringEncoder;
import zoneplane.dataplane.headers.EdgeHeaders;

/**
 * {@code ZONEPLANE_ACCESS_LOG=json} (SPEC §5.9): one JSON object per answered request, written by the
 * dedicated logger {@value #LOGGER}. Reactor Netty calls the factory on the event loop when a response
 * ends; building the line is CPU only, and {@code logback.xml} gives the logger an asynchronous appender
 * that drops lines rather than block when stdout cannot keep up, so the event loop never waits on I/O.
 *
 * <p>Fields: {@code time} (ISO-8601, UTC offset), {@code ray}, {@code host} (the request's Host /
 * :authority), {@code method}, {@code path} (with query), {@code status}, {@code bytes} (response body
 * bytes sent), {@code duration_ms}, {@code visitor_ip} (the TCP peer, or the PROXY protocol source) and
 * {@code protocol}. Strings are JSON-escaped; absent values are {@code null}.
 */
public final class JsonAccessLog implements AccessLogFactory {

    public static final String LOGGER = "zoneplane.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    @Override
    public AccessLog apply(AccessLogArgProvider args) {
        return new Line(line(args));
    }

    static String line(AccessLogArgProvider args) {
        CharSequence status = args.status();
        return line(args.accessDateTime(), args.responseHeader(EdgeHeaders.CF_RAY), args.requestHeader("host"),
                args.method(), args.uri(), status == null ? null : status.toString(), args.contentLength(),
                args.duration(), args.remoteAddress(), args.protocol());
    }

    /** Writes one line for a request the plain HTTP/1.1 path answered (same fields as Reactor Netty's). */
    public static void write(ZonedDateTime time, CharSequence ray, CharSequence host, CharSequence method, CharSequence uri,
            int status, long bytes, long durationMillis, SocketAddress remote, CharSequence protocol) {
        log.info(line(time, ray, host, method, uri, Integer.toString(status), bytes, durationMillis, remote, protocol));
    }

    private static String line(ZonedDateTime time, CharSequence ray, CharSequence host, CharSequence method,
            CharSequence uri, String status, long bytes, long durationMillis, SocketAddress remote,
            CharSequence protocol) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"time\":");
        string(json, time == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
        json.append(",\"ray\":");
        string(json, ray);
        json.append(",\"host\":");
        string(json, host);
        json.append(",\"method\":");
        string(json, method);
        json.append(",\"path\":");
        string(json, uri);
        json.append(",\"status\":");
        json.append(status == null ? "null" : status);
        json.append(",\"bytes\":").append(Math.max(0, bytes));
        json.append(",\"duration_ms\":").append(durationMillis);
        json.append(",\"visitor_ip\":");
        string(json, ip(remote));
        json.append(",\"protocol\":");
        string(json, protocol);
        return json.append('}').toString();
    }

    private static String ip(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return address == null ? null : address.toString();
    }

    private static void string(StringBuilder json, CharSequence value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        ENCODER.quoteAsString(value, json);
        json.append('"');
    }

    @Override
    public String toString() {
        return "JsonAccessLog{logger=" + LOGGER + "}";
    }

    /** One finished line, written through the access logger instead of Reactor Netty's own. */
    private static final class Line extends AccessLog {
        private final String json;

        Line(String json) {
            super(json);
            this.json = json;
        }

        @Override
        protected void log() {
            log.info(json);
        }
    }
}
