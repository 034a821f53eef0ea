package zoneplane.dataplane.guard;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import zoneplane.dataplane.errors.ErrorPages;
import zoneplane.dataplane.errors.RequestBodyTimeoutException;
import zoneplane.dataplane.headers.RayIds;
import zoneplane.dataplane.management.EdgeMetrics;

/**
 * {@link SlowClientGuard}'s watch over one HTTP/1.1 connection: its state, its one timer, and the two
 * handlers that feed them (raw bytes after TLS; decoded requests and written responses). Every method runs
 * on the connection's event loop.
 */
final class Http1Watch {

    /**
     * What the watches of a node share.
     *
     * @param bodyTimeout the longest pause between two reads of a request body
     */
    record Limits(long headNanos, long keepAliveNanos, Duration bodyTimeout, RayIds rayIds, EdgeMetrics metrics) {}

    private enum State {
        /** Between requests: waiting for the first byte of the next head (the idle timeout applies). */
        IDLE,
        /** Bytes of a request head are arriving (or a new connection has not sent its head yet). */
        HEAD,
        /** The head was decoded; body bytes are arriving. */
        BODY,
        /** The request was read whole; its response is being written. */
        EXCHANGE,
        /** HTTP/2, an upgraded WebSocket, or a timeout already fired: nothing more to guard. */
        OFF
    }

    private final Limits limits;
    final Bytes bytes = new Bytes();
    final Messages messages = new Messages();
    State state = State.IDLE;
    final BodyPauseClock body;
    long headStarted;
    long idleSince;
    int outstandingResponses;
    final DeadlineTimer timer;

    Http1Watch(EventExecutor loop, Limits limits) {
        this.limits = limits;
        this.body = new BodyPauseClock(limits.bodyTimeout().toNanos());
        this.timer = new DeadlineTimer(loop, this::check);
    }

    void connectionOpened() {
        state = State.HEAD;
        headStarted = System.nanoTime();
        timer.arm(headStarted + limits.headNanos());
    }

    void bytesRead() {
        if (state == State.IDLE) {
            state = State.HEAD;
            headStarted = System.nanoTime();
        }
    }

    void readComplete() {
        if (state == State.HEAD) {
            timer.arm(headStarted + limits.headNanos());
        } else if (state == State.BODY) {
            timer.arm(body.deadline());
        }
    }

    void requestRead(HttpRequest request) {
        if (state == State.OFF) {
            return;
        }
        outstandingResponses++;
        state = State.BODY;
        body.read(System.nanoTime());
        if (request instanceof LastHttpContent) {
            state = State.EXCHANGE;
        }
    }

    void contentRead(HttpContent content) {
        if (state != State.BODY) {
            return;
        }
        body.read(System.nanoTime());
        if (content instanceof LastHttpContent) {
            if (outstandingResponses == 0) {
                becomeIdle();
            } else {
                state = State.EXCHANGE;
            }
        }
    }

    void responseWritten(Object message) {
        if (message instanceof HttpResponse) {
            HttpResponseStatus status = ((HttpResponse) message).status();
            if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                off();
                return;
            }
            if (status.codeClass() == HttpStatusClass.INFORMATIONAL) {
                return; // 100 Continue: the final response is still to come
            }
        }
        if (message instanceof LastHttpContent && state != State.OFF && outstandingResponses > 0) {
            outstandingResponses--;
            if (outstandingResponses == 0 && state == State.EXCHANGE) {
                becomeIdle();
            }
        }
    }

    /** Between requests: the keep-alive timeout runs (one timer per connection, re-armed lazily). */
    void becomeIdle() {
        state = State.IDLE;
        idleSince = System.nanoTime();
        timer.arm(idleSince + limits.keepAliveNanos());
    }

    void off() {
        state = State.OFF;
        timer.cancel();
    }

    void check() {
        ChannelHandlerContext ctx = bytes.ctx;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (state == State.IDLE) {
            if (now - idleSince >= limits.keepAliveNanos()) {
                off();
                ctx.close(); // nothing is in progress: closing between requests is what keep-alive allows
            } else {
                timer.arm(idleSince + limits.keepAliveNanos());
            }
        } else if (state == State.HEAD) {
            if (now - headStarted >= limits.headNanos()) {
                headTimedOut(ctx);
            } else {
                timer.arm(headStarted + limits.headNanos());
            }
        } else if (state == State.BODY) {
            // While autoRead is off the edge itself has stopped reading (the origin is slower than the visitor).
            if (body.expired(now, ctx.channel().config().isAutoRead())) {
                bodyTimedOut();
            } else {
                timer.arm(body.deadline());
            }
        }
    }

    private void headTimedOut(ChannelHandlerContext ctx) {
        long started = headStarted;
        off();
        String ray = limits.rayIds().next();
        ByteBuf response = ErrorPages.rawResponse(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT,
                "The request headers did not arrive in time.", ray);
        // Written below the HTTP codec: no request was decoded, so there is no exchange to answer through.
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        limits.metrics().recordRequest(EdgeMetrics.NO_ZONE, HttpResponseStatus.REQUEST_TIMEOUT.code(), started);
    }

    private void bodyTimedOut() {
        off();
        // Into the request's inbound stream: the proxy's origin request fails with it and answers 408.
        messages.ctx.fireExceptionCaught(new RequestBodyTimeoutException(limits.bodyTimeout()));
    }

    /** Sees the connection's bytes before any decoding (after TLS). */
    final class Bytes extends ChannelInboundHandlerAdapter {
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytesRead();
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readComplete();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            off();
            ctx.fireChannelInactive();
        }
    }

    /** Sees decoded requests and the responses written for them. */
    final class Messages extends ChannelDuplexHandler {
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                requestRead((HttpRequest) msg);
            } else if (msg instanceof HttpContent) {
                contentRead((HttpContent) msg);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            responseWritten(msg);
            ctx.write(msg, promise);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent
                    || evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
                off(); // HTTP/2 from here on: streams, not one request at a time (Http2SlowClientGuard's)
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
