package zoneplane.dataplane.visitor;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Who sent a request, as far as the edge can trust it (SPEC §5.2).
 *
 * @param address the visitor's address (TCP peer, or from a trusted proxy's PROXY header / X-Forwarded-For)
 * @param ip {@code address} as RFC 5952 text
 * @param forwardedFor the X-Forwarded-For chain that came before the visitor (visitor-supplied or from
 *     trusted proxies), to which the edge appends the connecting address; null when there was none
 * @param https whether the visitor used https (the listener's TLS, or a trusted proxy's X-Forwarded-Proto)
 */
public record Visitor(InetAddress address, String ip, String forwardedFor, boolean https) {

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    public String scheme() {
        return https ? "https" : "http";
    }
}
