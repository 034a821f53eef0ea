package zoneplane.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import zoneplane.dataplane.errors.ErrorAnswer;
import zoneplane.dataplane.errors.ErrorPages;
import zoneplane.dataplane.errors.MalformedBodyException;
import zoneplane.dataplane.headers.EdgeHeaders;
import zoneplane.dataplane.logging.JsonAccessLog;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.origin.OriginCall;
import zoneplane.dataplane.origin.OriginPool;
import zoneplane.dataplane.origin.OriginReceiver;
import zoneplane.dataplane.setting.ProxyExchange;
import zoneplane.dataplane.usage.ExchangeTrace;

/**
 * One request on a {@link VisitorConnection}: admitted (or refused with an error page) by
 * {@link RequestAdmission#admit}, then streamed to the origin through an {@link OriginCall} and the response
 * streamed back, with back-pressure both ways. It ends once its response is written and its request read
 * whole (or the connection is to close), then the connection may serve the next request.
 *
 * <p>Framing towards the visitor: the origin's Content-Length when it gave one, else the exact length
 * when the whole response came at once, else chunked (HTTP/1.0 visitors: the connection closes after
 * the body instead). Runs on the connection's event loop only.
 *
 * <p>Somewhat over 300 lines, but one concern: the state of one exchange, which its visitor side and its
 * origin side ({@link OriginReceiver}) both read and write on that one event loop. Split in two, the halves
 * would share every field through accessors and the order of their steps would be harder to follow.
 */
final class Http1Exchange implements OriginReceiver {

    /** Where Reactor Netty keeps the source address a PROXY protocol header gave (see HAProxyMessageReader). */
    private static final AttributeKey<SocketAddress> PROXY_PROTOCOL_SOURCE =
            AttributeKey.valueOf("remoteAddressFromProxyProtocol");
    /** Metrics status of an exchange whose visitor left before its response started (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    /**
     * What every exchange of a node shares.
     *
     * @param draining whether the node is shutting down: responses then close their connection
     */
    record Context(EdgeProxy proxy, OriginPool pool, EdgeMetrics metrics, LongAdder inFlight, boolean accessLog,
            BooleanSupplier draining) {}

    private final Context shared;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final boolean tls;
    private final VisitorConnection connection;
    private final long started = System.nanoTime();
    private final boolean keepAlive;
    private final RequestFraming framing;
    private final boolean hasBody;

    private String ray;
    /** The PROXY protocol source, or the TCP peer: what admission and the access log call the visitor. */
    private SocketAddress visitorAddress;
    private String zoneTag = EdgeMetrics.NO_ZONE;
    private ProxyExchange exchange;
    private ExchangeTrace trace = ExchangeTrace.OFF;
    private OriginCall call;
    private boolean callOpen;
    private int status;
    private long bytesSent;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean closeAfter;
    private boolean ended;

    Http1Exchange(Context shared, ChannelHandlerContext ctx, HttpRequest request, boolean tls,
            VisitorConnection connection) {
        this.shared = shared;
        this.ctx = ctx;
        this.request = request;
        this.tls = tls;
        this.connection = connection;
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.framing = RequestFraming.of(request.method(), request.uri(), request.protocolVersion(),
                request.headers(), false);
        this.hasBody = framing.hasBody();
    }

    boolean requestComplete() {
        return requestComplete;
    }

    /** Whether the visitor's connection should read for this exchange now (its request is not whole yet). */
    boolean wantsRequestBytes() {
        return !requestComplete && (!hasBody || (callOpen && call != null && call.bodyWritable()));
    }

    void begin() {
        shared.inFlight().increment();
        ray = shared.proxy().nextRay();
        SocketAddress proxied = ctx.channel().attr(PROXY_PROTOCOL_SOURCE).get();
        visitorAddress = proxied != null ? proxied : ctx.channel().remoteAddress();
        trace = shared.proxy().exchanges().begin(ctx.channel(), tls, ray);
        trace.request(request.method(), request.uri(), request.protocolVersion(), request.headers());
        Admission admission = shared.proxy().admission().admit(framing, request.headers(), ctx.channel(),
                visitorAddress, tls, ray);
        trace.admitted(admission.zone(), admission.refused() ? null : admission.exchange().visitor(), visitorAddress,
                false);
        zoneTag = admission.zoneTag();
        if (admission.refused()) {
            // A body the visitor may still send is not read: the connection closes after the page.
            answer(admission.refusal(), hasBody);
            return;
        }
        exchange = admission.exchange();
        HttpHeaders headers = exchange.originRequestHeaders();
        framing.chunkedForHttp1(headers);
        if (hasBody && HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER), ctx.voidPromise());
        }
        callOpen = true;
        try {
            call = shared.pool().call(ctx.channel(), exchange.zone().origin(), exchange.visitor().address(),
                    request.method(), framing.target(), headers, hasBody, exchange.bodyLimit(), this);
        } catch (IllegalArgumentException e) {
            failed(e);
            return;
        }
        if (hasBody && callOpen && !call.bodyWritable()) {
            ctx.channel().config().setAutoRead(false); // until the origin connection is ready for the body
        }
    }

    // --- the visitor's side ------------------------------------------------------------------------

    void requestContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            // A chunk size, extension, terminator or trailer Netty could not read: the body is not what the
            // visitor meant, so the origin must not get it as a whole request. Its call is aborted (the origin
            // connection closes mid-body) and the visitor gets 400; the connection ends with it.
            MalformedBodyException malformed = new MalformedBodyException(content.decoderResult().cause());
            content.release();
            requestComplete = true;
            closeAfter = true; // Netty's decoder reads nothing more on this connection
            if (callOpen && call != null) {
                call.fail(malformed);
            } else if (!responseStarted) {
                failed(malformed);
            } else {
                endIfDone();
            }
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (hasBody && callOpen && call != null) {
            ByteBuf chunk = content.content();
            if (chunk.isReadable()) {
                call.sendBody(chunk);
            } else {
                chunk.release();
            }
            if (last) {
                call.endBody();
            } else if (callOpen && !call.bodyWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            content.release();
        }
        if (last) {
            requestComplete = true;
            if (!ctx.channel().config().isAutoRead() && callOpen) {
                ctx.channel().config().setAutoRead(true);
            }
            endIfDone();
        }
    }

    /** The visitor's body failed (it stalled past the body timeout): the origin call is failed with it. */
    void requestFailed(Throwable cause) {
        if (callOpen && call != null) {
            call.fail(cause);
        } else if (!responseStarted) {
            failed(cause);
        }
    }

    void visitorWritable() {
        if (callOpen && call != null) {
            call.resumeResponse();
        }
    }

    /** The visitor's connection closed: the origin call is abandoned. */
    void visitorGone() {
        if (callOpen && call != null) {
            callOpen = false;
            call.cancel();
        }
        if (!responseStarted) {
            status = CLIENT_CLOSED;
        }
        end();
    }

    // --- the origin's side (OriginReceiver) --------------------------------------------------------

    @Override
    public void bodyWritable() {
        if (!requestComplete && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void response(HttpResponse head, HttpContent first) {
        boolean last = first instanceof LastHttpContent;
        if (last) {
            callOpen = false;
        }
        HttpResponseStatus responseStatus = head.status();
        HttpHeaders headers = head.headers();
        EdgeHeaders.removeHopByHop(headers, false);
        headers.set(EdgeHeaders.CF_RAY, ray);
        HttpHeaders extra = exchange.visitorResponseHeaders();
        if (extra != null) {
            headers.add(extra);
        }
        // A draining node tells kept-alive visitors to go elsewhere for their next request.
        closeAfter = !keepAlive || shared.draining().getAsBoolean();
        boolean bodiless = request.method() == HttpMethod.HEAD
                || responseStatus.codeClass() == HttpStatusClass.INFORMATIONAL
                || responseStatus.code() == 204 || responseStatus.code() == 304;
        if (!bodiless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (last) {
                headers.setInt(HttpHeaderNames.CONTENT_LENGTH, first.content().readableBytes());
            } else if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
                closeAfter = true; // no chunked coding for HTTP/1.0: the end of the connection ends the body
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        status = responseStatus.code();
        responseStarted = true;
        trace.originResponded(status, call == null ? null : call.originAddress());
        trace.responding(status, headers.get(HttpHeaderNames.CONTENT_TYPE));
        bytesSent += first.content().readableBytes();
        if (last) {
            // The whole response in one write (Netty's encoder puts a small body in the head's buffer).
            writeLast(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, responseStatus, first.content(), headers,
                    EmptyHttpHeaders.INSTANCE));
            return;
        }
        ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, responseStatus, headers), ctx.voidPromise());
        relay(first);
    }

    @Override
    public void content(HttpContent content) {
        if (content instanceof LastHttpContent) {
            callOpen = false;
        }
        bytesSent += content.content().readableBytes();
        relay(content);
    }

    private void relay(HttpContent content) {
        if (content instanceof LastHttpContent) {
            // Origin trailers are not relayed on this path (nor on Reactor Netty's): only gRPC needs them.
            LastHttpContent last = ((LastHttpContent) content).trailingHeaders().isEmpty()
                    ? (LastHttpContent) content : new DefaultLastHttpContent(content.content());
            writeLast(last);
            return;
        }
        ctx.writeAndFlush(content, ctx.voidPromise());
        if (!ctx.channel().isWritable() && call != null) {
            call.pauseResponse(); // the visitor reads slower than the origin sends: TCP slows the origin
        }
    }

    @Override
    public void failed(Throwable cause) {
        callOpen = false;
        if (ended) {
            return;
        }
        if (responseStarted) {
            // Too late for an error page: reset, so the visitor cannot mistake a cut body for a whole one.
            ctx.close();
            return;
        }
        answer(ErrorAnswer.forFailure(cause), !requestComplete);
    }

    // --- ending ------------------------------------------------------------------------------------

    /** Answers with the edge's own page; {@code unreadBody}: the body is not (all) read, so the connection ends. */
    private void answer(ErrorAnswer answer, boolean unreadBody) {
        closeAfter = answer.closeConnection() || unreadBody || !keepAlive || shared.draining().getAsBoolean();
        FullHttpResponse page = ErrorPages.response(ctx.alloc(), answer, ray, closeAfter);
        status = answer.status().code();
        responseStarted = true;
        trace.responding(status, page.headers().get(HttpHeaderNames.CONTENT_TYPE));
        bytesSent = page.content().readableBytes();
        writeLast(page);
    }

    /**
     * Writes the end of the response. On a connection that stays open the exchange may end at once: a
     * failed write reaches {@link VisitorConnection#exceptionCaught}, which closes it (no listener per
     * response). A connection that closes afterwards waits for the write, so no byte is lost to the close.
     */
    private void writeLast(LastHttpContent last) {
        if (!closeAfter) {
            ctx.writeAndFlush(last, ctx.voidPromise());
            responseComplete = true;
            endIfDone();
            return;
        }
        ctx.writeAndFlush(last).addListener((ChannelFutureListener) written -> {
            responseComplete = true;
            endIfDone();
        });
    }

    private void endIfDone() {
        if (responseComplete && (requestComplete || closeAfter)) {
            end();
            connection.exchangeEnded(this, closeAfter);
        }
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        shared.inFlight().decrement();
        shared.metrics().recordRequest(zoneTag, status, started);
        trace.end(status, bytesSent);
        if (shared.accessLog()) {
            long elapsed = System.nanoTime() - started;
            JsonAccessLog.write(ZonedDateTime.now().minusNanos(elapsed), ray, request.headers().get(HttpHeaderNames.HOST),
                    request.method().name(), request.uri(), status, bytesSent, elapsed / 1_000_000, visitorAddress,
                    request.protocolVersion().text());
        }
    }
}
