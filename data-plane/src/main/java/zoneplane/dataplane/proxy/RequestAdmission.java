package zoneplane.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.SocketAddress;
import java.util.List;
import zoneplane.dataplane.errors.ErrorAnswer;
import zoneplane.dataplane.errors.ErrorPages;
import zoneplane.dataplane.headers.EdgeHeaders;
import zoneplane.dataplane.setting.ProxyExchange;
import zoneplane.dataplane.setting.SettingTransform;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.visitor.Visitor;
import zoneplane.dataplane.visitor.VisitorResolver;
import zoneplane.model.ZoneConfig;

/**
 * Decides what happens to a request from its head (SPEC §5), for both visitor paths: validation
 * ({@link RequestFraming}), routing by Host in the live view, the visitor's identity, then the zone's
 * setting transforms; the answer is an {@link Admission}. Reads the live view once per decision. Never
 * blocks, locks or logs; one instance serves every listener and event loop.
 */
final class RequestAdmission {

    private final LiveZoneView liveView;
    private final VisitorResolver visitors;
    private final List<SettingTransform> transforms;
    private final int cdnLoopLimit;

    RequestAdmission(LiveZoneView liveView, VisitorResolver visitors, List<SettingTransform> transforms,
            int cdnLoopLimit) {
        this.liveView = liveView;
        this.visitors = visitors;
        this.transforms = List.copyOf(transforms);
        this.cdnLoopLimit = cdnLoopLimit;
    }

    /**
     * The decision for one request. A forwarded exchange carries the headers the origin will get,
     * identity headers included.
     *
     * @param framing what {@link RequestFraming} read from the request's head
     * @param visitorChannel the visitor's connection (its peer is the TCP peer)
     * @param proxied the source a PROXY protocol header gave, or the TCP peer without one
     */
    Admission admit(RequestFraming framing, HttpHeaders in, Channel visitorChannel, SocketAddress proxied,
            boolean tls, String ray) {
        if (framing.refused()) {
            String host = in.get(HttpHeaderNames.HOST);
            return Admission.refuse(host == null ? null : liveView.current().route(host), framing.refusal());
        }
        ZoneConfig zone = liveView.current().route(framing.host());
        if (zone == null && !liveView.loaded()) {
            // No view yet (no disk cache, control plane not answered): the host may well be ours, and a
            // 404 could be cached by the visitor. Readiness is 503 too, so a balancer sends no one here.
            return Admission.refuse(null, new ErrorAnswer(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "This edge is starting and has not loaded its zones yet. Try again in a moment.", false, 5));
        }
        if (zone == null) {
            return Admission.refuse(null, ErrorAnswer.of(HttpResponseStatus.NOT_FOUND,
                    "This host is not served by this edge. Check the domain name.", false));
        }
        if (!zone.hasOrigin()) {
            return Admission.refuse(zone, ErrorAnswer.of(ErrorPages.ORIGIN_UNSET,
                    "The zone " + zone.name() + " has no origin server configured yet.", false));
        }
        if (EdgeHeaders.cdnLoopCount(in) >= cdnLoopLimit) {
            return Admission.refuse(zone, ErrorAnswer.of(ErrorPages.LOOP_DETECTED,
                    "This request already passed through the edge: the origin points back at it.", false));
        }
        ProxyExchange exchange = exchange(framing, in, visitorChannel.remoteAddress(), proxied, tls, zone);
        if (zone.paused()) {
            // Paused: straight to the origin, no setting applied (an upgrade passes as the origin decides).
            exchange.acceptUpgrade();
        } else {
            for (SettingTransform transform : transforms) {
                transform.apply(exchange);
            }
        }
        if (exchange.refusal() != null) {
            return Admission.refuse(zone, ErrorAnswer.of(exchange.refusal(), exchange.refusalReason(),
                    exchange.refusal() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE));
        }
        addIdentity(exchange, in, ray);
        return Admission.forward(exchange);
    }

    private ProxyExchange exchange(RequestFraming framing, HttpHeaders in, SocketAddress tcpPeer,
            SocketAddress proxied, boolean tls, ZoneConfig zone) {
        Visitor visitor = visitors.resolve(tcpPeer, proxied, in, tls);
        boolean webSocket = isWebSocketHandshake(in);
        boolean grpc = EdgeHeaders.isGrpc(in);
        HttpHeaders out = new DefaultHttpHeaders();
        out.set(in);
        // TE: trailers is kept for gRPC only: it is the one exchange whose trailers the edge relays.
        EdgeHeaders.removeHopByHop(out, grpc);
        EdgeHeaders.removeEdgeOwned(out);
        framing.frame(out);
        return new ProxyExchange(zone, visitor, out, framing.contentLength(), webSocket, grpc);
    }

    /** The identity headers every request carries to the origin (SPEC §5.2), after the transforms. */
    private static void addIdentity(ProxyExchange exchange, HttpHeaders in, String ray) {
        HttpHeaders out = exchange.originRequestHeaders();
        Visitor visitor = exchange.visitor();
        out.set(EdgeHeaders.CF_CONNECTING_IP, exchange.connectingIp());
        out.set(EdgeHeaders.X_FORWARDED_FOR, exchange.forwardedFor());
        out.set(EdgeHeaders.X_FORWARDED_PROTO, visitor.scheme());
        out.set(EdgeHeaders.CF_VISITOR, EdgeHeaders.cfVisitor(visitor.https()));
        out.set(EdgeHeaders.CF_RAY, ray);
        List<String> loops = in.getAll(EdgeHeaders.CDN_LOOP);
        out.set(EdgeHeaders.CDN_LOOP, loops.isEmpty()
                ? EdgeHeaders.CDN_LOOP_TOKEN
                : String.join(", ", loops) + ", " + EdgeHeaders.CDN_LOOP_TOKEN);
    }

    private static boolean isWebSocketHandshake(HttpHeaders in) {
        String upgrade = in.get(HttpHeaderNames.UPGRADE);
        String connection = in.get(HttpHeaderNames.CONNECTION);
        return upgrade != null && connection != null && EdgeHeaders.containsToken(upgrade, "websocket")
                && EdgeHeaders.containsToken(connection, "upgrade");
    }

    @Override
    public String toString() {
        return "RequestAdmission{" + transforms + ", cdnLoopLimit=" + cdnLoopLimit + "}";
    }
}
