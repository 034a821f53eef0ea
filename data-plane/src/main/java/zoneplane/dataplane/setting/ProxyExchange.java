package zoneplane.dataplane.setting;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import zoneplane.dataplane.visitor.Visitor;
import zoneplane.model.ZoneConfig;
import zoneplane.model.ZoneSettings;

/**
 * One request on its way through the edge, as the setting transforms see it: the zone, its settings,
 * the visitor, the headers that will go to the origin, and the decisions transforms may take
 * (refuse, limit the body, accept a WebSocket upgrade, add response headers).
 *
 * <p>Not thread-safe: it belongs to one request and is only touched on that request's event loop.
 */
public final class ProxyExchange {

    private final ZoneConfig zone;
    private final Visitor visitor;
    private final HttpHeaders originRequestHeaders;
    private final long declaredContentLength;
    private final boolean webSocketHandshake;
    private final boolean grpc;

    private String connectingIp;
    private boolean forwardedForOverwritten;
    private HttpHeaders visitorResponseHeaders;
    private HttpResponseStatus refusal;
    private String refusalReason;
    private long bodyLimit = Long.MAX_VALUE;
    private boolean upgradeAccepted;

    /**
     * @param declaredContentLength the request's Content-Length, or -1 when it has none
     * @param webSocketHandshake the visitor asked for {@code Upgrade: websocket}
     * @param grpc the request's content-type starts with {@code application/grpc}
     */
    public ProxyExchange(ZoneConfig zone, Visitor visitor, HttpHeaders originRequestHeaders,
            long declaredContentLength, boolean webSocketHandshake, boolean grpc) {
        this.zone = zone;
        this.visitor = visitor;
        this.originRequestHeaders = originRequestHeaders;
        this.declaredContentLength = declaredContentLength;
        this.webSocketHandshake = webSocketHandshake;
        this.grpc = grpc;
        this.connectingIp = visitor.ip();
    }

    public ZoneConfig zone() {
        return zone;
    }

    public ZoneSettings settings() {
        return zone.settings();
    }

    public Visitor visitor() {
        return visitor;
    }

    /** The headers the origin will receive; transforms add to them. */
    public HttpHeaders originRequestHeaders() {
        return originRequestHeaders;
    }

    public long declaredContentLength() {
        return declaredContentLength;
    }

    public boolean webSocketHandshake() {
        return webSocketHandshake;
    }

    public boolean grpc() {
        return grpc;
    }

    /**
     * The address the origin is told in {@code CF-Connecting-IP} and the appended {@code X-Forwarded-For}
     * entry: the visitor's, unless a transform (pseudo IPv4 overwrite) replaced it.
     */
    public String connectingIp() {
        return connectingIp;
    }

    /**
     * Replaces the visitor's address towards the origin by {@code ip} (pseudo IPv4 overwrite mode): it
     * becomes {@code CF-Connecting-IP} and the whole {@code X-Forwarded-For}, whatever chain came before
     * (Cloudflare: overwrite mode "overwrites" both headers).
     */
    public void overwriteConnectingIp(String ip) {
        this.connectingIp = ip;
        this.forwardedForOverwritten = true;
    }

    /**
     * The {@code X-Forwarded-For} the origin gets: the chain that came before the visitor with the
     * connecting address appended (comma, no space, as Cloudflare writes it), or the connecting address
     * alone when there was no chain or {@link #overwriteConnectingIp} replaced it.
     */
    public String forwardedFor() {
        String chain = visitor.forwardedFor();
        return chain == null || forwardedForOverwritten ? connectingIp : chain + "," + connectingIp;
    }

    /** Adds a header to the response the visitor gets (after the origin's headers). */
    public void addResponseHeader(CharSequence name, CharSequence value) {
        if (visitorResponseHeaders == null) {
            visitorResponseHeaders = new DefaultHttpHeaders();
        }
        visitorResponseHeaders.add(name, value);
    }

    /** Headers transforms added for the visitor's response; null when none. */
    public HttpHeaders visitorResponseHeaders() {
        return visitorResponseHeaders;
    }

    /** Answers the visitor with {@code status} instead of contacting the origin. The first refusal wins. */
    public void refuse(HttpResponseStatus status, String reason) {
        if (refusal == null) {
            refusal = status;
            refusalReason = reason;
        }
    }

    /** The refusal, or null when the request may go to the origin. */
    public HttpResponseStatus refusal() {
        return refusal;
    }

    public String refusalReason() {
        return refusalReason;
    }

    /** Caps the request body; a streamed body that crosses it is cut with 413 (or a reset). */
    public void limitBody(long bytes) {
        bodyLimit = Math.min(bodyLimit, bytes);
    }

    public long bodyLimit() {
        return bodyLimit;
    }

    /** Lets a WebSocket handshake through as an upgrade; without it, the upgrade tokens are dropped. */
    public void acceptUpgrade() {
        upgradeAccepted = webSocketHandshake;
    }

    public boolean upgradeAccepted() {
        return upgradeAccepted;
    }
}
