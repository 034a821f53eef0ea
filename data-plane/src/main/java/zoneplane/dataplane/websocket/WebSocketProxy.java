package zoneplane.dataplane.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import zoneplane.dataplane.config.DataPlaneConfig;
import zoneplane.dataplane.errors.ErrorAnswer;
import zoneplane.dataplane.errors.ErrorPages;
import zoneplane.dataplane.headers.EdgeHeaders;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.management.RequestMeter;
import zoneplane.dataplane.origin.ProhibitedOriginException;
import zoneplane.dataplane.setting.ProxyExchange;
import zoneplane.dataplane.usage.ExchangeTrace;
import zoneplane.model.Plan;
import zoneplane.model.ZoneConfig;

/**
 * Proxies an accepted WebSocket handshake (SPEC §5.4). The origin's handshake comes first: only
 * when it answers 101 is the visitor upgraded (with the subprotocol the origin chose); otherwise the
 * visitor gets the origin's status. Then frames flow both ways with back-pressure (each side reads
 * only as fast as the other side writes), close codes pass through, an origin that disappears
 * without a close frame gives the visitor 1011, and a connection idle in both directions for the
 * plan's idle timeout is closed with 1001. How and when both sides end, and the zone's slot and the
 * gauge are given back, is {@link WebSocketSession}'s one teardown.
 */
public final class WebSocketProxy {

    /** Frames up to 16 MiB each way; larger ones close the connection with 1009, as browsers allow. */
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final DataPlaneConfig config;
    private final EdgeMetrics metrics;
    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final WebSocketAdmission admission;

    public WebSocketProxy(DataPlaneConfig config, EdgeMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.admission = new WebSocketAdmission(config.websocketLimitEnforced(), config.websocketLimits());
    }

    /** @param meter counts the upgrade as the request ({@code 101}) once the visitor is upgraded */
    public Mono<Void> proxy(HttpServerRequest req, HttpServerResponse res, ProxyExchange exchange, String uri,
            HttpClient client, String ray, RequestMeter meter, ExchangeTrace trace) {
        ZoneConfig zone = exchange.zone();
        if (!admission.tryAdmit(zone)) {
            // 429, not 503: the zone has used its share; the edge itself is fine (a 503 would read as an outage).
            return ErrorPages.send(res, HttpResponseStatus.TOO_MANY_REQUESTS, "This zone already has "
                    + admission.limit(zone.plan()) + " open WebSocket connections on this edge, the most its plan "
                    + "allows. Try again later.", ray, false);
        }
        // Given back once: by the session's teardown, or when the handshake ends without a session.
        AtomicBoolean released = new AtomicBoolean();
        Runnable releaseSlot = () -> {
            if (released.compareAndSet(false, true)) {
                admission.release(zone);
            }
        };
        return handshake(req, res, exchange, uri, client, ray, releaseSlot, meter, trace)
                .doFinally(signal -> releaseSlot.run());
    }

    private Mono<Void> handshake(HttpServerRequest req, HttpServerResponse res, ProxyExchange exchange, String uri,
            HttpClient client, String ray, Runnable releaseSlot, RequestMeter meter, ExchangeTrace trace) {
        HttpHeaders out = exchange.originRequestHeaders();
        String protocols = req.requestHeaders().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        // The edge runs its own handshake with the origin: the visitor's key and extensions stay here.
        out.remove(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        out.remove(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        out.remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        out.remove(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder()
                .handlePing(false)
                .compress(false)
                .maxFramePayloadLength(MAX_FRAME);
        if (protocols != null) {
            spec.protocols(protocols);
        }
        Plan plan = exchange.zone().plan();
        Duration idle = config.websocketIdleTimeout(plan);
        return client.headers(h -> h.set(out))
                .websocket(spec.build())
                .uri(webSocketUri(uri))
                .handle((originIn, originOut) -> {
                    originIn.withConnection(c -> trace.originResponded(
                            HttpResponseStatus.SWITCHING_PROTOCOLS.code(), c.channel().remoteAddress()));
                    // sendWebsocket completes once the visitor's handshake is done and runs the bridge on its
                    // own; the origin connection must live until the bridge ends, so wait for that instead.
                    Sinks.Empty<Void> bridged = Sinks.empty();
                    return res.sendWebsocket(
                                    (visitorIn, visitorOut) -> bridge(visitorIn, visitorOut, originIn, originOut, idle, plan,
                                            releaseSlot, meter, trace)
                                            .doFinally(signal -> bridged.tryEmitEmpty()),
                                    serverSpec(originIn.selectedSubprotocol()))
                            .then(bridged.asMono());
                })
                .then()
                .onErrorResume(error -> failed(res, error, ray));
    }

    private static Mono<Void> failed(HttpServerResponse res, Throwable error, String ray) {
        if (error instanceof WebSocketClientHandshakeException refused) {
            return originRefused(res, refused, ray);
        }
        if (res.hasSentHeaders()) {
            return Mono.empty();
        }
        if (ProhibitedOriginException.isCause(error)) {
            return ErrorPages.send(res, ErrorAnswer.prohibitedOrigin(), ray);
        }
        return ErrorPages.send(res,
                ErrorAnswer.isTimeout(error) ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY,
                "The origin server could not be reached for this WebSocket.", ray, false);
    }

    private Mono<Void> bridge(WebsocketInbound visitorIn, WebsocketOutbound visitorOut, WebsocketInbound originIn,
            WebsocketOutbound originOut, Duration idle, Plan plan, Runnable releaseSlot, RequestMeter meter,
            ExchangeTrace trace) {
        meter.record(HttpResponseStatus.SWITCHING_PROTOCOLS.code());
        trace.webSocketOpened();
        metrics.webSocketOpened(plan);
        WebSocketSession[] self = new WebSocketSession[1];
        WebSocketSession session = new WebSocketSession(visitorIn, visitorOut, originIn, originOut, () -> {
            sessions.remove(self[0]);
            trace.webSocketClosed(self[0].closedCleanly());
            releaseSlot.run();
            metrics.webSocketClosed(plan);
        });
        self[0] = session;
        sessions.add(session);
        session.start(visitorIn, originIn);
        visitorIn.withConnection(c -> c.addHandlerLast("zoneplane.ws.idle", new IdleCloser(idle, session)));
        // The relays only move frames; the session decides when everything ends, and the bridge ends with it.
        Mono.when(relay(visitorIn, originOut), relay(originIn, visitorOut)).subscribe();
        return session.done();
    }

    /**
     * Forwards data frames one at a time: each waits for the previous write to complete (back-pressure:
     * a slow reader on one side slows reading on the other). A failed write does not cancel the reading
     * side, because cancelling a Reactor Netty WebSocket inbound closes that connection with an empty
     * close frame before the proxy could pass on the real close code.
     */
    private static Mono<Void> relay(WebsocketInbound from, WebsocketOutbound to) {
        return from.receiveFrames()
                .filter(WebSocketProxy::isData)
                .concatMap(frame -> to.sendObject(Mono.just(frame.retain())).then().onErrorResume(e -> Mono.empty()), 1)
                .then()
                .onErrorResume(e -> Mono.empty());
    }

    private static boolean isData(WebSocketFrame frame) {
        return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame;
    }

    private static WebsocketServerSpec serverSpec(String selectedProtocol) {
        WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder()
                .compress(false)
                .maxFramePayloadLength(MAX_FRAME);
        if (selectedProtocol != null && !selectedProtocol.isEmpty()) {
            spec.protocols(selectedProtocol);
        }
        return spec.build();
    }

    private static Mono<Void> originRefused(HttpServerResponse res, WebSocketClientHandshakeException refused,
            String ray) {
        if (res.hasSentHeaders() || refused.response() == null) {
            return Mono.empty();
        }
        HttpResponseStatus status = refused.response().status();
        res.status(status);
        HttpHeaders headers = res.responseHeaders();
        headers.add(refused.response().headers());
        EdgeHeaders.removeHopByHop(headers, false);
        headers.set(EdgeHeaders.CF_RAY, ray);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        return res.send();
    }

    private static String webSocketUri(String uri) {
        if (uri.startsWith("https://")) {
            return "wss://" + uri.substring(8);
        }
        return uri.startsWith("http://") ? "ws://" + uri.substring(7) : uri;
    }

    /** Number of WebSockets being proxied now. */
    public int active() {
        return sessions.size();
    }

    /** Closes every proxied WebSocket with {@code code} on both sides (shutdown: 1001 going away). */
    public Mono<Void> closeAll(int code, String reason) {
        return Mono.when(sessions.stream().map(s -> s.close(code, reason)).toList());
    }

    /** Closes a session when nothing was read or written on the visitor's connection for the idle timeout. */
    private static final class IdleCloser extends IdleStateHandler {

        private final WebSocketSession session;

        IdleCloser(Duration idle, WebSocketSession session) {
            super(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
            this.session = session;
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
            session.close(WebSocketSession.GOING_AWAY, "idle timeout");
        }
    }
}
