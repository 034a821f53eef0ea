package zoneplane.dataplane.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;
import tools.jackson.core.io.JsonStringEncoder;

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
        StringBuilder json = new StringBuilder(256);
        json.append("{\"time\":");
        string(json, args.accessDateTime() == null ? null
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(args.accessDateTime()));
        json.append(",\"ray\":");
        string(json, args.responseHeader(EdgeHeaders.CF_RAY));
        json.append(",\"host\":");
        string(json, args.requestHeader("host"));
        json.append(",\"method\":");
        string(json, args.method());
        json.append(",\"path\":");
        string(json, args.uri());
        json.append(",\"status\":");
        CharSequence status = args.status();
        json.append(status == null ? "null" : status.toString());
        json.append(",\"bytes\":").append(Math.max(0, args.contentLength()));
        json.append(",\"duration_ms\":").append(args.duration());
        json.append(",\"visitor_ip\":");
        string(json, ip(args.remoteAddress()));
        json.append(",\"protocol\":");
        string(json, args.protocol());
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
