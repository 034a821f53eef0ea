package zoneplane.dataplane.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.setting.ProxyExchange;
import zoneplane.model.ZoneConfig;

/**
 * What the edge decided from a request's head, before any byte goes to an origin: either an
 * {@link #exchange()} to forward, or an error page to answer with ({@link #status()}, {@link #detail()}).
 * Both visitor paths (Reactor Netty's and the plain HTTP/1.1 one) act on it the same way.
 *
 * @param zone the routed zone (metrics are tagged with it), or null
 * @param exchange the exchange to forward, or null when refused
 * @param status the refusal's status, or null when forwarded
 * @param detail the refusal's explanation for the visitor
 * @param closeConnection whether the refusal ends the connection (the request's framing cannot be trusted)
 * @param retryAfterSeconds a {@code Retry-After} for the refusal, or 0 for none
 */
public record Admission(ZoneConfig zone, ProxyExchange exchange, HttpResponseStatus status, String detail,
        boolean closeConnection, int retryAfterSeconds) {

    static Admission forward(ProxyExchange exchange) {
        return new Admission(exchange.zone(), exchange, null, null, false, 0);
    }

    static Admission refuse(ZoneConfig zone, HttpResponseStatus status, String detail, boolean closeConnection) {
        return new Admission(zone, null, status, detail, closeConnection, 0);
    }

    static Admission retryLater(HttpResponseStatus status, String detail, int seconds) {
        return new Admission(null, null, status, detail, false, seconds);
    }

    public boolean refused() {
        return exchange == null;
    }

    /** The zone tag of this request's metrics. */
    public String zoneTag() {
        return zone == null ? EdgeMetrics.NO_ZONE : zone.name();
    }
}
