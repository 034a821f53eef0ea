package zoneplane.dataplane.guard;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.netty.NettyPipeline;
import zoneplane.dataplane.errors.ErrorPages;
import zoneplane.dataplane.errors.RequestBodyTimeoutException;
import zoneplane.dataplane.headers.EdgeHeaders;
import zoneplane.dataplane.headers.RayIds;
import zoneplane.dataplane.management.EdgeMetrics;

/**
 * Bounds how slowly a visitor may send a request on an HTTP/1.1 connection (slowloris). Reactor Netty's
 * {@code idleTimeout} is reset by every byte, and its {@code readTimeout}/{@code requestTimeout} start only
 * once the head is decoded and close without an answer, so neither stops a client that trickles bytes.
 *
 * <ul>
 *   <li>Head: a request line and headers must arrive within {@code ZONEPLANE_REQUEST_HEADER_TIMEOUT} from
 *       their first byte (a new connection: from when it opened). Otherwise the edge writes 408 with its
 *       error page and closes; no request ever reached the proxy, so no origin is contacted.</li>
 *   <li>Body: between two reads of a request body at most {@code ZONEPLANE_REQUEST_BODY_TIMEOUT} may pass
 *       ({@link BodyPauseClock}, the rule HTTP/2 streams share). Otherwise a
 *       {@link RequestBodyTimeoutException} is raised into the request's inbound stream: the origin request
 *       fails and the proxy answers 408, or resets once the response has started. Time the edge itself
 *       stops reading (back-pressure from a slow origin) does not count.</li>
 *   <li>Keep-alive: a connection waiting for its next request is closed after the keep-alive timeout.
 *       Reactor Netty's own idle handler does this by being added and removed around every request; the
 *       plain HTTP/1.1 path ({@code proxy.VisitorConnection}) removes it and relies on this instead.</li>
 * </ul>
 *
 * <p>Two handlers share one per-connection {@link Watch}: one sees raw bytes (first in the pipeline,
 * after TLS), one sees decoded requests and written responses (just before Reactor Netty's HTTP traffic
 * handler). A connection has at most one timer, armed at the end of a read that left a head or a body
 * unfinished, or when the connection turns idle and none is armed; a firing timer re-arms itself for
 * what its state still needs. So a keep-alive connection serving whole requests schedules one timer
 * per keep-alive period, not one per request.
 *
 * <p>A connection that is or becomes HTTP/2 (h2 by ALPN, h2c prior knowledge or upgrade) is left to
 * {@link Http2SlowClientGuard}, which applies the same settings to its preface, header blocks and stream
 * bodies; upgraded WebSockets are left alone.
 */
public final class SlowClientGuard {

    private static final String BYTES_HANDLER = "zoneplane.slowClientBytes";
    private static final String MESSAGES_HANDLER = "zoneplane.slowClientMessages";

    private final long headNanos;
    private final long keepAliveNanos;
    private final Duration bodyTimeout;
    private final RayIds rayIds;
    private final EdgeMetrics metrics;

    /**
     * @param keepAliveTimeout how long a connection may wait between requests before the edge closes it
     */
    public SlowClientGuard(Duration headTimeout, Duration bodyTimeout, Duration keepAliveTimeout, String nodeId,
            EdgeMetrics metrics) {
        this.headNanos = headTimeout.toNanos();
        this.keepAliveNanos = keepAliveTimeout.toNanos();
        this.bodyTimeout = bodyTimeout;
        this.rayIds = new RayIds(nodeId);
        this.metrics = metrics;
    }

    /** Whether the connection whose pipeline this is is guarded already. */
    public boolean guards(ChannelPipeline pipeline) {
        return pipeline.get(MESSAGES_HANDLER) != null;
    }

    /** Guards the HTTP/1.1 connection whose pipeline this is, from now on (see {@code proxy.Http1Connections}). */
    public void guard(ChannelPipeline pipeline) {
        if (guards(pipeline)) {
            return;
        }
        Watch watch = new Watch(pipeline.channel().eventLoop());
        if (pipeline.get(NettyPipeline.SslHandler) != null) {
            pipeline.addAfter(NettyPipeline.SslHandler, BYTES_HANDLER, watch.bytes);
        } else {
            pipeline.addFirst(BYTES_HANDLER, watch.bytes);
        }
        pipeline.addBefore(NettyPipeline.HttpTrafficHandler, MESSAGES_HANDLER, watch.messages);
        watch.connectionOpened();
    }

    @Override
    public String toString() {
        return "SlowClientGuard{head=" + Duration.ofNanos(headNanos) + ", bodyGap=" + bodyTimeout + ", keepAlive="
                + Duration.ofNanos(keepAliveNanos) + "}";
    }

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

    /** The state of one connection; every method runs on the connection's event loop. */
    private final class Watch {

        final Bytes bytes = new Bytes();
        final Messages messages = new Messages();
        State state = State.IDLE;
        final BodyPauseClock body = new BodyPauseClock(bodyTimeout.toNanos());
        long headStarted;
        long idleSince;
        int outstandingResponses;
        final DeadlineTimer timer;

        Watch(EventExecutor loop) {
            timer = new DeadlineTimer(loop, this::check);
        }

        void connectionOpened() {
            state = State.HEAD;
            headStarted = System.nanoTime();
            timer.arm(headStarted + headNanos);
        }

        void bytesRead() {
            if (state == State.IDLE) {
                state = State.HEAD;
                headStarted = System.nanoTime();
            }
        }

        void readComplete() {
            if (state == State.HEAD) {
                timer.arm(headStarted + headNanos);
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
            timer.arm(idleSince + keepAliveNanos);
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
                if (now - idleSince >= keepAliveNanos) {
                    off();
                    ctx.close(); // nothing is in progress: closing between requests is what keep-alive allows
                } else {
                    timer.arm(idleSince + keepAliveNanos);
                }
            } else if (state == State.HEAD) {
                if (now - headStarted >= headNanos) {
                    headTimedOut(ctx);
                } else {
                    timer.arm(headStarted + headNanos);
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
            String ray = rayIds.next();
            byte[] page = ErrorPages.page(HttpResponseStatus.REQUEST_TIMEOUT,
                    "The request headers did not arrive in time.", ray).getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 408 Request Timeout\r\n"
                    + EdgeHeaders.CF_RAY + ": " + ray + "\r\n"
                    + "Content-Type: text/html; charset=utf-8\r\n"
                    + "Cache-Control: no-store\r\n"
                    + "Content-Length: " + page.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            ByteBuf response = ctx.alloc().buffer(head.length() + page.length);
            response.writeCharSequence(head, StandardCharsets.ISO_8859_1);
            response.writeBytes(page);
            // Written below the HTTP codec: no request was decoded, so there is no exchange to answer through.
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            metrics.recordRequest(EdgeMetrics.NO_ZONE, HttpResponseStatus.REQUEST_TIMEOUT.code(), started);
        }

        private void bodyTimedOut() {
            off();
            // Into the request's inbound stream: the proxy's origin request fails with it and answers 408.
            messages.ctx.fireExceptionCaught(new RequestBodyTimeoutException(bodyTimeout));
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
}
