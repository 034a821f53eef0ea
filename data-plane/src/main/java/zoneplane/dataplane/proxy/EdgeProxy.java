package zoneplane.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import zoneplane.dataplane.errors.ErrorAnswer;
import zoneplane.dataplane.errors.ErrorPages;
import zoneplane.dataplane.guard.UploadCounter;
import zoneplane.dataplane.headers.EdgeHeaders;
import zoneplane.dataplane.headers.RayIds;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.management.RequestMeter;
import zoneplane.dataplane.origin.OriginPool;
import zoneplane.dataplane.setting.ProxyExchange;
import zoneplane.dataplane.setting.SettingTransform;
import zoneplane.dataplane.usage.ExchangeHook;
import zoneplane.dataplane.usage.ExchangeTrace;
import zoneplane.dataplane.view.LiveZoneView;
import zoneplane.dataplane.visitor.VisitorResolver;
import zoneplane.dataplane.websocket.WebSocketProxy;

/**
 * The per-request path of the edge (SPEC §5) as Reactor Netty's handler ({@link #handle}: HTTP/2,
 * WebSockets, gRPC): each request is decided by {@link RequestAdmission} (validation, routing by host,
 * the visitor, the zone's setting transforms; shared with the plain HTTP/1.1 path in
 * {@link Http1Exchange}), then streamed to the origin and the response back.
 *
 * <p>Reads the live view once per request and uses that one {@code ZoneView} throughout. Never
 * blocks, locks or logs per request; one instance serves every listener and event loop.
 */
public final class EdgeProxy {

    private static final String GRPC_STATUS = "grpc-status";
    private static final String GRPC_TRAILERS = "grpc-status, grpc-message, grpc-status-details-bin";

    private static final AttributeKey<SocketAddress> CONNECTION_SOURCE = AttributeKey.valueOf("zoneplane.source");

    private final RequestAdmission admission;
    private final OriginClients origins;
    private final WebSocketProxy webSockets;
    private final EdgeMetrics metrics;
    private final RayIds rayIds;
    private final ExchangeHook exchanges;

    /** @param exchanges hears every exchange that ends (usage accounting, logs) */
    public EdgeProxy(LiveZoneView liveView, VisitorResolver visitors, List<SettingTransform> transforms,
            OriginClients origins, WebSocketProxy webSockets, EdgeMetrics metrics, String nodeId, int cdnLoopLimit,
            ExchangeHook exchanges) {
        this.admission = new RequestAdmission(liveView, visitors, transforms, cdnLoopLimit);
        this.origins = origins;
        this.webSockets = webSockets;
        this.metrics = metrics;
        this.rayIds = new RayIds(nodeId);
        this.exchanges = exchanges;
    }

    /** The per-exchange hook (the plain HTTP/1.1 path traces its exchanges with it too). */
    ExchangeHook exchanges() {
        return exchanges;
    }

    /** What decides each request from its head; the plain HTTP/1.1 path asks it too. */
    RequestAdmission admission() {
        return admission;
    }

    /** A fresh ray id for a request (the plain HTTP/1.1 path takes its own). */
    String nextRay() {
        return rayIds.next();
    }

    /** The handler of a listener; {@code tls} says whether it is the https one. */
    public Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res, boolean tls) {
        long started = System.nanoTime();
        String ray = rayIds.next();
        res.header(EdgeHeaders.CF_RAY, ray);
        Channel visitorChannel = visitorChannel(req);
        RequestFraming framing = RequestFraming.of(req.method(), req.uri(), req.version(), req.requestHeaders(),
                visitorChannel instanceof Http2StreamChannel);
        ExchangeTrace trace = exchanges.begin(visitorChannel, tls, ray);
        trace.request(req.method(), req.uri(), req.version(), req.requestHeaders());
        SocketAddress source = source(req, visitorChannel);
        Admission admission = this.admission.admit(framing, req.requestHeaders(), visitorChannel, source, tls, ray);
        trace.admitted(admission.zone(), admission.refused() ? null : admission.exchange().visitor(), source,
                !admission.refused() && admission.exchange().grpc());
        RequestMeter meter = new RequestMeter(metrics, admission.zoneTag(), started);
        return serve(req, res, visitorChannel, ray, framing, admission, meter, trace)
                .doFinally(signal -> {
                    meter.record(res.status().code());
                    trace.end(res.status().code(), res.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE));
                });
    }

    private Mono<Void> serve(HttpServerRequest req, HttpServerResponse res, Channel visitorChannel, String ray,
            RequestFraming framing, Admission admission, RequestMeter meter, ExchangeTrace trace) {
        if (admission.refused()) {
            return ErrorPages.send(res, admission.refusal(), ray);
        }
        ProxyExchange exchange = admission.exchange();
        if (exchange.upgradeAccepted() || exchange.grpc()) {
            String url;
            try {
                url = origins.pool().url(exchange.zone().origin(), framing.target());
            } catch (IllegalArgumentException e) {
                return failed(res, e, ray);
            }
            if (exchange.upgradeAccepted()) {
                return webSockets.proxy(req, res, exchange, url, origins.webSocket(exchange.visitor().address()), ray,
                        meter, trace);
            }
            return forwardGrpc(req, res, exchange, framing.hasBody(), url, ray, trace);
        }
        return forward(req, res, visitorChannel, exchange, framing, ray, trace);
    }

    /**
     * The source a PROXY protocol header gave this request's connection (the TCP peer without one).
     * Reactor Netty hands it to the connection's first request only (it takes the attribute it keeps it
     * in), which on HTTP/2 left every later stream with the balancer's address as the visitor's, so the
     * edge keeps the first answer on the connection itself for all its requests.
     */
    private static SocketAddress source(HttpServerRequest req, Channel visitorChannel) {
        SocketAddress remote = req.remoteAddress();
        Channel connection = visitorChannel instanceof Http2StreamChannel stream ? stream.parent() : visitorChannel;
        if (connection == null || remote == null) {
            return remote;
        }
        SocketAddress first = connection.attr(CONNECTION_SOURCE).setIfAbsent(remote);
        return first == null ? remote : first;
    }

    private static Channel visitorChannel(HttpServerRequest req) {
        Channel[] channel = new Channel[1];
        req.withConnection(c -> channel[0] = c.channel());
        return channel[0];
    }

    /**
     * Ordinary requests: HTTP/1.1 to the origin over a pooled connection on this request's own event
     * loop ({@link OriginPool}), the body streamed and counted against {@code max_upload}.
     */
    private Mono<Void> forward(HttpServerRequest req, HttpServerResponse res, Channel visitorChannel,
            ProxyExchange exchange, RequestFraming framing, String ray, ExchangeTrace trace) {
        HttpHeaders headers = exchange.originRequestHeaders();
        framing.chunkedForHttp1(headers);
        return origins.pool()
                .send(visitorChannel, exchange.zone().origin(), exchange.visitor().address(), req.method(),
                        framing.target(), headers, framing.hasBody() ? req.receive() : null, exchange.bodyLimit())
                .flatMap(response -> {
                    trace.originResponded(response.status().code(), response.origin());
                    relayHead(res, exchange, response.status(), response.headers());
                    return res.send(response.body()).then();
                })
                .onErrorResume(error -> failed(res, error, ray));
    }

    /** gRPC: HTTP/2 end to end through Reactor Netty's client, trailers relayed (SPEC §5.5). */
    private Mono<Void> forwardGrpc(HttpServerRequest req, HttpServerResponse res, ProxyExchange exchange,
            boolean hasBody, String uri, String ray, ExchangeTrace trace) {
        return origins.http2(exchange.visitor().address())
                .request(req.method())
                .uri(uri)
                .send((originReq, outbound) -> {
                    // headers(…) keeps the client's own Host; the origin must see the visitor's.
                    originReq.headers(exchange.originRequestHeaders())
                            .header(HttpHeaderNames.HOST, exchange.originRequestHeaders().get(HttpHeaderNames.HOST));
                    return hasBody ? outbound.send(body(req, exchange)) : outbound;
                })
                .responseConnection((originRes, connection) -> {
                    // the stream channel's remote address is its connection's: the origin that answered
                    trace.originResponded(originRes.status().code(), connection.channel().remoteAddress());
                    return relayGrpc(res, exchange, originRes, connection.inbound().receive());
                })
                .then()
                .onErrorResume(error -> failed(res, error, ray));
    }

    private static Flux<ByteBuf> body(HttpServerRequest req, ProxyExchange exchange) {
        Flux<ByteBuf> body = req.receive().retain();
        return exchange.bodyLimit() == Long.MAX_VALUE ? body : body.map(new UploadCounter(exchange.bodyLimit()));
    }

    /** The origin's status and headers for the visitor: hop-by-hop removed, our ray, transforms' additions. */
    private static HttpHeaders relayHead(HttpServerResponse res, ProxyExchange exchange, HttpResponseStatus status,
            HttpHeaders originHeaders) {
        res.status(status);
        HttpHeaders headers = res.responseHeaders();
        String ray = headers.get(EdgeHeaders.CF_RAY);
        headers.set(originHeaders);
        EdgeHeaders.removeHopByHop(headers, false);
        headers.set(EdgeHeaders.CF_RAY, ray);
        HttpHeaders extra = exchange.visitorResponseHeaders();
        if (extra != null) {
            headers.add(extra);
        }
        return headers;
    }

    private static Publisher<Void> relayGrpc(HttpServerResponse res, ProxyExchange exchange,
            HttpClientResponse originRes, ByteBufFlux body) {
        HttpHeaders headers = relayHead(res, exchange, originRes.status(), originRes.responseHeaders());
        if (headers.contains(GRPC_STATUS)) {
            // A trailers-only answer (the status came with the headers): it must stay one HEADERS frame
            // that ends the stream, so no body and no trailers follow.
            return body.then(res.send());
        }
        // gRPC status travels in trailers: declare them, then copy the origin's once its body has ended.
        AtomicReference<HttpHeaders> trailers = new AtomicReference<>();
        headers.set(HttpHeaderNames.TRAILER, GRPC_TRAILERS);
        res.trailerHeaders(out -> {
            HttpHeaders received = trailers.get();
            if (received != null) {
                out.add(received);
            }
        });
        return res.send(body.retain()).then(originRes.trailerHeaders().doOnNext(trailers::set).then());
    }

    private static Mono<Void> failed(HttpServerResponse res, Throwable error, String ray) {
        if (res.hasSentHeaders()) {
            // Too late for an error page: reset, so the visitor cannot mistake a cut body for a whole one.
            res.withConnection(Connection::dispose);
            return Mono.empty();
        }
        return ErrorPages.send(res, ErrorAnswer.forFailure(error), ray);
    }

    @Override
    public String toString() {
        return "EdgeProxy{" + admission + "}";
    }
}
