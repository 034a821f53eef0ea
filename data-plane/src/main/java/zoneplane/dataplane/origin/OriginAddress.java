package zoneplane.dataplane.origin;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A zone's origin URL taken apart once ({@code http://10.0.0.5:8080/app}): whether it is TLS, where to
 * connect, and the path prefix every request target goes under. An IP literal is resolved here
 * (no lookup); a name stays unresolved and is looked up asynchronously at connect time.
 */
public record OriginAddress(boolean tls, String host, int port, String basePath, InetSocketAddress socketAddress) {

    /** @throws IllegalArgumentException when {@code origin} is not an absolute http(s) URL with a host */
    public static OriginAddress parse(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("origin is not a URL: " + origin, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("origin scheme must be http or https: " + origin);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("origin has no host: " + origin);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return new OriginAddress(tls, host, port, base, socketAddress(host, port));
    }

    private static InetSocketAddress socketAddress(String host, int port) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal == null) {
            return InetSocketAddress.createUnresolved(host, port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(host, literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("origin address is not valid: " + host, e);
        }
    }

    /**
     * The absolute URL of {@code visitorTarget} at this origin, for clients that take a whole URL
     * (WebSocket handshakes, gRPC): the same path as {@link #target}, so every kind of request reaches
     * the same place.
     */
    public String url(String visitorTarget) {
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + authority + ":" + port + target(visitorTarget);
    }

    /** The request target the origin receives for a visitor's {@code target} (its path and query). */
    public String target(String visitorTarget) {
        if (visitorTarget.isEmpty() || visitorTarget.charAt(0) != '/') {
            return basePath + "/" + visitorTarget;
        }
        return basePath.isEmpty() ? visitorTarget : basePath + visitorTarget;
    }
}
