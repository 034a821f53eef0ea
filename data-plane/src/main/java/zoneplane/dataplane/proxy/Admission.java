package zoneplane.dataplane.proxy;

import zoneplane.dataplane.errors.ErrorAnswer;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.setting.ProxyExchange;
import zoneplane.model.ZoneConfig;

/**
 * What the edge decided from a request's head, before any byte goes to an origin: either an
 * {@link #exchange()} to forward, or a {@link #refusal()} to answer with. Both visitor paths (Reactor
 * Netty's and the plain HTTP/1.1 one) act on it the same way.
 *
 * @param zone the routed zone (metrics are tagged with it), or null
 * @param exchange the exchange to forward, or null when refused
 * @param refusal the edge's own answer, or null when forwarded
 */
record Admission(ZoneConfig zone, ProxyExchange exchange, ErrorAnswer refusal) {

    static Admission forward(ProxyExchange exchange) {
        return new Admission(exchange.zone(), exchange, null);
    }

    static Admission refuse(ZoneConfig zone, ErrorAnswer answer) {
        return new Admission(zone, null, answer);
    }

    public boolean refused() {
        return exchange == null;
    }

    /** The zone tag of this request's metrics. */
    public String zoneTag() {
        return zone == null ? EdgeMetrics.NO_ZONE : zone.name();
    }
}
