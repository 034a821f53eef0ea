package zoneplane.dataplane.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.IdleTimeoutHandler;
import zoneplane.dataplane.errors.RequestBodyTimeoutException;
import zoneplane.dataplane.headers.EdgeHeaders;

/**
 * A visitor's HTTP/1.1 connection served on plain Netty. Ordinary requests go from the decoded head
 * through {@link RequestAdmission#admit} straight to a pooled origin connection on the same event loop and back
 * ({@link Http1Exchange}), without Reactor Netty's per-request objects, publishers and handler changes.
 * That machinery cost about as much CPU per request as everything Zoneplane itself does.
 *
 * <p>It sits just before Reactor Netty's HTTP traffic handler (and after
 * {@link zoneplane.dataplane.guard.SlowClientGuard}'s message handler, which so sees these requests and
 * responses too). A request it does not serve itself
 * (a WebSocket or other upgrade, gRPC, an {@code Expect} other than {@code 100-continue}, CONNECT, or a
 * head the decoder rejected) is passed on to Reactor Netty, and with it the connection for good: from
 * then on this handler only forwards. Requests pipelined behind one in progress wait here, in order.
 *
 * <p>Runs on the connection's event loop only; one instance per connection.
 */
final class VisitorConnection extends ChannelDuplexHandler {

    static final String NAME = "zoneplane.visitorHttp1";

    private static final Logger log = LoggerFactory.getLogger(VisitorConnection.class);

    private final Http1Exchange.Context shared;
    private final boolean tls;
    private ChannelHandlerContext ctx;
    private Http1Exchange current;
    private ArrayDeque<Object> pipelined;
    private boolean handedOver;
    private boolean closing;
    private boolean firstServed;

    VisitorConnection(Http1Exchange.Context shared, boolean tls) {
        this.shared = shared;
        this.tls = tls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Reactor Netty starts server connections with reads off and asks for each one; this path reads
        // continuously and turns reads off only to push back (a slow origin, pipelined requests).
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (handedOver) {
            ctx.fireChannelRead(msg);
        } else if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (current != null || somethingWaits()) {
            if (current != null && !current.requestComplete() && !somethingWaits()
                    && msg instanceof HttpContent && !(msg instanceof HttpRequest)) {
                current.requestContent((HttpContent) msg);
            } else {
                // Pipelined behind the exchange in progress: it waits, in order, and reading stops meanwhile.
                if (pipelined == null) {
                    pipelined = new ArrayDeque<>(4);
                }
                pipelined.add(msg);
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            dispatch(msg);
        }
    }

    /** Acts on a message that is next in line: a request starts an exchange, or is Reactor Netty's. */
    private void dispatch(Object msg) {
        if (current != null) {
            current.requestContent((HttpContent) msg);
        } else if (msg instanceof HttpRequest) {
            start((HttpRequest) msg);
        } else {
            ReferenceCountUtil.release(msg); // nothing is waiting for it (the end of a request already answered)
        }
    }

    private void start(HttpRequest request) {
        if (!servedHere(request)) {
            handOver(request);
            return;
        }
        if (!firstServed) {
            firstServed = true;
            // Reactor Netty's keep-alive timer would also fire during a long exchange on this path;
            // SlowClientGuard keeps time between requests instead, with no handler change per request.
            IdleTimeoutHandler.removeIdleTimeoutHandler(ctx.pipeline());
            // An h2c upgrade comes with a connection's first request (RFC 9113 §3.1 left it to HTTP/1.1's
            // Upgrade, which clients send first): later requests need not pass the upgrade decoder. A late
            // Upgrade: h2c is then answered in HTTP/1.1, which Upgrade allows.
            if (ctx.pipeline().get(HttpServerUpgradeHandler.class) != null) {
                ctx.pipeline().remove(HttpServerUpgradeHandler.class);
            }
        }
        current = new Http1Exchange(shared, ctx, request, tls, this);
        current.begin();
    }

    /** Whether this path serves {@code request}; everything else is Reactor Netty's. */
    private static boolean servedHere(HttpRequest request) {
        if (request.decoderResult().isFailure() || request.method() == HttpMethod.CONNECT) {
            return false;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.UPGRADE) || EdgeHeaders.isGrpc(headers)) {
            return false;
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        return expect == null || HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim());
    }

    private void handOver(Object first) {
        handedOver = true;
        ctx.channel().config().setAutoRead(true);
        ctx.fireChannelRead(first);
        Object next;
        while (pipelined != null && (next = pipelined.poll()) != null) {
            ctx.fireChannelRead(next);
        }
    }

    /** The exchange in progress has ended; {@code close} when the connection cannot carry another. */
    void exchangeEnded(Http1Exchange exchange, boolean close) {
        if (current != exchange) {
            return;
        }
        current = null;
        if (close) {
            closing = true;
            releasePipelined();
            ctx.close();
            return;
        }
        // What waited is next: a request, then its body until that request is whole.
        while (!handedOver && !closing && somethingWaits()) {
            Object next = pipelined.peek();
            if (current != null && (current.requestComplete() || next instanceof HttpRequest)) {
                return; // the next request waits for this exchange to end
            }
            pipelined.poll();
            dispatch(next);
        }
        if (!handedOver && !closing && (current == null || current.wantsRequestBytes())) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && ctx.channel().isWritable()) {
            current.visitorWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            Http1Exchange gone = current;
            current = null;
            gone.visitorGone();
        }
        releasePipelined();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (handedOver) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (current != null && cause instanceof RequestBodyTimeoutException) {
            current.requestFailed(cause);
            return;
        }
        log.debug("visitor connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent
                || evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
            handedOver = true; // HTTP/2 from here on: Reactor Netty's streams
        }
        ctx.fireUserEventTriggered(evt);
    }

    private boolean somethingWaits() {
        return pipelined != null && !pipelined.isEmpty();
    }

    private void releasePipelined() {
        Object next;
        while (pipelined != null && (next = pipelined.poll()) != null) {
            ReferenceCountUtil.release(next);
        }
    }
}
