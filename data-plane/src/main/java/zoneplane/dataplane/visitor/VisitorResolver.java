package zoneplane.dataplane.visitor;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import zoneplane.model.Cidr;

/**
 * Decides the visitor address of a request (SPEC §5.2). The TCP peer is the visitor unless it is a
 * configured trusted proxy: then the address its PROXY protocol header names (when PROXY protocol is
 * enabled) and, while that is still a trusted proxy, the rightmost X-Forwarded-For entries are
 * believed. Nobody else can move the visitor address. Every address taken here (socket, PROXY v1/v2,
 * X-Forwarded-For) is canonical: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is the IPv4
 * visitor, so trust, Tor exit lookup, geolocation, pseudo IPv4 and every identity header see one form
 * ({@link IpLiterals#canonical}). This is the one place the edge decides who the visitor is.
 * Thread-safe and immutable.
 */
public final class VisitorResolver {

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";

    private final Cidr[] trusted;
    private final boolean proxyProtocol;

    public VisitorResolver(List<Cidr> trustedProxies, boolean proxyProtocol) {
        this.trusted = trustedProxies.toArray(new Cidr[0]);
        this.proxyProtocol = proxyProtocol;
    }

    /**
     * @param tcpPeer the real TCP peer of the connection
     * @param proxied the address the PROXY protocol header gave (equal to {@code tcpPeer} without one)
     * @param headers the visitor's request headers (read, not modified)
     * @param tls whether the request arrived on the TLS listener
     */
    public Visitor resolve(SocketAddress tcpPeer, SocketAddress proxied, HttpHeaders headers, boolean tls) {
        InetAddress address = addressOf(tcpPeer);
        String chain = forwardedFor(headers);
        if (address == null || !isTrusted(address)) {
            return visitor(address, chain, tls);
        }
        InetAddress viaProxyProtocol = proxyProtocol ? addressOf(proxied) : null;
        if (viaProxyProtocol != null) {
            address = viaProxyProtocol;
        }
        // X-Forwarded-Proto is believed only from a trusted hop that speaks HTTP to the edge: behind a
        // PROXY protocol balancer (layer 4: it adds no header) the field is the visitor's own unless the
        // PROXY header names a trusted proxy.
        boolean https = tls || (isTrusted(address) && "https".equalsIgnoreCase(headers.get(X_FORWARDED_PROTO)));
        // Walk X-Forwarded-For right to left while the hop that reported it is trusted.
        while (chain != null && isTrusted(address)) {
            int comma = chain.lastIndexOf(',');
            InetAddress previous = IpLiterals.parse(chain.substring(comma + 1));
            if (previous == null) {
                break;
            }
            address = previous;
            chain = comma < 0 ? null : chain.substring(0, comma).trim();
            if (chain != null && chain.isEmpty()) {
                chain = null;
            }
        }
        return visitor(address, chain, https);
    }

    public boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Visitor visitor(InetAddress address, String chain, boolean https) {
        if (address == null) {
            // Unix-domain or otherwise address-less peers: describe them as unspecified rather than fail.
            address = InetAddress.getLoopbackAddress();
        }
        return new Visitor(address, IpLiterals.text(address), chain, https);
    }

    private static InetAddress addressOf(SocketAddress socket) {
        if (socket instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return IpLiterals.canonical(inet.getAddress());
        }
        return null;
    }

    /** The X-Forwarded-For lines joined with commas, or null when absent. */
    private static String forwardedFor(HttpHeaders headers) {
        List<String> values = headers.getAll(X_FORWARDED_FOR);
        if (values.isEmpty()) {
            return null;
        }
        String joined = values.size() == 1 ? values.get(0).trim() : String.join(",", values).trim();
        return joined.isEmpty() ? null : joined;
    }

    @Override
    public String toString() {
        return "VisitorResolver{trusted=" + List.of(trusted) + ", proxyProtocol=" + proxyProtocol + "}";
    }
}
