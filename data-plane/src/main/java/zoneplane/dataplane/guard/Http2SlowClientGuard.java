package zoneplane.dataplane.guard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerRequest;
import zoneplane.dataplane.errors.RequestBodyTimeoutException;
import zoneplane.dataplane.headers.EdgeHeaders;
import zoneplane.dataplane.management.EdgeMetrics;
import zoneplane.dataplane.setting.ConnectionSetup;

/**
 * Bounds how slowly a visitor may send on an HTTP/2 connection (h2 over TLS, h2c prior knowledge or
 * upgrade), with the settings {@link SlowClientGuard} applies to HTTP/1.1:
 *
 * <ul>
 *   <li>Head, per connection: the connection preface and the first frame must arrive within
 *       {@code ZONEPLANE_REQUEST_HEADER_TIMEOUT} of the connection choosing HTTP/2, and a header block
 *       (HEADERS up to the frame with END_HEADERS, CONTINUATIONs between) within that time of its first
 *       frame. Otherwise the edge sends GOAWAY and closes: an unfinished header block blocks the whole
 *       connection, and no request was decoded, so no origin is contacted. Netty bounds a header block's
 *       size and its number of small CONTINUATION frames, but not its duration.</li>
 *   <li>Body, per stream: between two DATA frames of a request body at most
 *       {@code ZONEPLANE_REQUEST_BODY_TIMEOUT} may pass ({@link BodyPauseClock}, the HTTP/1.1 rule). Otherwise
 *       a {@link RequestBodyTimeoutException} is raised into that stream's inbound side: the origin request is
 *       aborted and the proxy answers 408, or resets the stream (RST_STREAM CANCEL) once the response has
 *       started. Other streams go on. Time the edge does not read (the stream's reads paused for a slower
 *       origin, or the connection's or stream's receive window used up) does not count. gRPC streams are
 *       exempt: a pause between messages is how they work.</li>
 *   <li>Idle: {@code ZONEPLANE_KEEPALIVE_TIMEOUT} runs only while the connection has no open stream, then
 *       the edge sends GOAWAY and closes ({@link Http2IdleClock}, started here once the connection has chosen
 *       HTTP/2, in place of Reactor Netty's idle handler, which counts any frame either way).</li>
 * </ul>
 *
 * <p>The head is watched on the connection's bytes (after TLS and any PROXY header), by following frame
 * boundaries without decoding: Netty's codec tells no one that a header block has started. Each connection
 * and each guarded stream has at most one timer, armed when something is left unfinished and re-armed by
 * itself while it still is. Every method runs on the connection's event loop.
 */
public final class Http2SlowClientGuard implements ConnectionSetup {

    static final String FRAMES_HANDLER = "zoneplane.h2Frames";
    static final String UPGRADE_HANDLER = "zoneplane.h2Upgrade";
    static final String STREAM_HANDLER = "zoneplane.h2StreamBody";

    private static final byte[] PREFACE = ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf());

    private final long headNanos;
    private final Duration headTimeout;
    private final Duration bodyTimeout;
    private final Duration keepAliveTimeout;
    private final EdgeMetrics metrics;
    private final ChannelGroup http2Connections;

    /**
     * @param keepAliveTimeout how long a connection may stay without an open stream before the edge closes it
     * @param http2Connections where each connection is added once it speaks HTTP/2 (a closed one leaves by
     *     itself), so that a draining node can tell them all with GOAWAY
     */
    public Http2SlowClientGuard(Duration headTimeout, Duration bodyTimeout, Duration keepAliveTimeout,
            EdgeMetrics metrics, ChannelGroup http2Connections) {
        this.headNanos = headTimeout.toNanos();
        this.headTimeout = headTimeout;
        this.bodyTimeout = bodyTimeout;
        this.keepAliveTimeout = keepAliveTimeout;
        this.metrics = metrics;
        this.http2Connections = http2Connections;
    }

    /**
     * For {@code HttpServer.doOnChannelInit}: watches a new connection's first bytes for the HTTP/2 preface
     * (cleartext), or its TLS handshake for ALPN's choice, and an h2c upgrade; an HTTP/1.1 connection loses
     * the watch at its first byte or at the end of its handshake.
     */
    @Override
    public void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        boolean tls = pipeline.get(NettyPipeline.SslHandler) != null;
        // Cleartext: prior knowledge means the preface opens the connection. TLS: the clock starts with ALPN's h2.
        addFrames(pipeline, new Frames(System.nanoTime()));
        if (!tls && pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, UPGRADE_HANDLER, new UpgradeListener());
        }
    }

    /**
     * For {@code HttpServer.doOnConnection} (each request Reactor Netty serves): guards the body of an
     * HTTP/2 request whose stream is still open after its headers; anything else is left alone.
     */
    public void guardStream(Connection connection) {
        if (!(connection.channel() instanceof Http2StreamChannel stream)
                || !(connection instanceof HttpServerRequest request)
                || stream.stream().state() != Http2Stream.State.OPEN
                || EdgeHeaders.isGrpc(request.requestHeaders())) {
            return;
        }
        ChannelPipeline pipeline = stream.pipeline();
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null && pipeline.get(STREAM_HANDLER) == null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, STREAM_HANDLER, new StreamBody(stream));
        }
    }

    /** Right after the bytes are clear: after TLS, else after a PROXY protocol header, else first. */
    private static void addFrames(ChannelPipeline pipeline, Frames frames) {
        if (pipeline.get(NettyPipeline.SslHandler) != null) {
            pipeline.addAfter(NettyPipeline.SslHandler, FRAMES_HANDLER, frames);
        } else if (pipeline.get(NettyPipeline.ProxyProtocolReader) != null) {
            pipeline.addAfter(NettyPipeline.ProxyProtocolReader, FRAMES_HANDLER, frames);
        } else {
            pipeline.addFirst(FRAMES_HANDLER, frames);
        }
    }

    @Override
    public String toString() {
        return "Http2SlowClientGuard{head=" + headTimeout + ", bodyGap=" + bodyTimeout + ", keepAlive="
                + keepAliveTimeout + "}";
    }

    /**
     * Follows one connection's HTTP/2 frames by their 9-byte headers, skipping payloads, to know when the
     * preface and first frame are still due and when a header block is open.
     */
    private final class Frames extends ChannelInboundHandlerAdapter {

        private ChannelHandlerContext ctx;
        /** Whether the connection is known to speak HTTP/2 (ALPN, a whole preface, an upgrade). */
        private boolean http2;
        /** Since when the preface and the first frame are awaited. */
        private long awaitingSince;
        private int prefaceMatched;
        private boolean firstFrameRead;
        private boolean lost;
        private boolean idleClockStarted;
        private int headerFill;
        private int frameLength;
        private int frameType;
        private int frameFlags;
        private int payloadLeft;
        private boolean blockOpen;
        private boolean blockEnds;
        private long blockStarted;
        private DeadlineTimer timer;

        Frames(long awaitingSince) {
            this.awaitingSince = awaitingSince;
        }

        /** An h2c upgrade: the preface is due from now. */
        Frames upgraded() {
            http2 = true;
            return this;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.timer = new DeadlineTimer(ctx.executor(), this::check);
            if (http2) {
                timer.arm(awaitingSince + headNanos);
                startIdleClock(); // an h2c upgrade: the HTTP/2 pipeline is already built
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes && !lost) {
                scan(bytes, System.nanoTime());
            }
            ctx.fireChannelRead(msg);
            if (lost && ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this); // HTTP/1.1: the first bytes were not the preface
            } else {
                startIdleClock();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (http2 && headOpen()) {
                timer.arm(headDeadline());
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess() && !http2) {
                SslHandler tls = ctx.pipeline().get(SslHandler.class);
                if (tls != null && ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                    http2 = true;
                    awaitingSince = System.nanoTime();
                    timer.arm(awaitingSince + headNanos);
                } else {
                    ctx.pipeline().remove(this); // HTTP/1.1 over TLS: SlowClientGuard's
                }
            }
            ctx.fireUserEventTriggered(evt);
            startIdleClock();
        }

        /**
         * Once the connection speaks HTTP/2 and the handlers downstream have built its pipeline (during the
         * read that brought the preface, the handshake's event for ALPN, or before the 101 of an upgrade), its
         * keep-alive clock starts.
         */
        private void startIdleClock() {
            if (http2 && !lost && !idleClockStarted) {
                idleClockStarted = Http2IdleClock.start(ctx.channel(), keepAliveTimeout.toNanos());
                if (idleClockStarted) {
                    http2Connections.add(ctx.channel());
                    // the same moment suits the framing guard, which also needs the built HTTP/2 pipeline
                    IncompleteHttp2RequestGuard.guard(ctx.channel());
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
        }

        private void scan(ByteBuf bytes, long now) {
            int end = bytes.writerIndex();
            int i = bytes.readerIndex();
            while (i < end) {
                if (prefaceMatched < PREFACE.length) {
                    if (bytes.getByte(i++) != PREFACE[prefaceMatched++]) {
                        lost = true;
                        cancel();
                        return;
                    }
                    http2 |= prefaceMatched == PREFACE.length;
                } else if (payloadLeft > 0) {
                    int skipped = Math.min(payloadLeft, end - i);
                    i += skipped;
                    payloadLeft -= skipped;
                    if (payloadLeft == 0) {
                        frameRead();
                    }
                } else {
                    frameHeaderByte(bytes.getUnsignedByte(i++), now);
                }
            }
        }

        private void frameHeaderByte(int value, long now) {
            int index = headerFill++;
            if (index < 3) {
                frameLength = (frameLength << 8) | value;
            } else if (index == 3) {
                frameType = value;
            } else if (index == 4) {
                frameFlags = value;
            }
            if (headerFill < Http2CodecUtil.FRAME_HEADER_LENGTH) {
                return;
            }
            if (frameType == Http2FrameTypes.HEADERS || frameType == Http2FrameTypes.PUSH_PROMISE
                    || frameType == Http2FrameTypes.CONTINUATION) {
                if (!blockOpen) {
                    blockOpen = true;
                    blockStarted = now;
                }
                blockEnds = (frameFlags & Http2Flags.END_HEADERS) != 0;
            }
            payloadLeft = frameLength;
            headerFill = 0;
            frameLength = 0;
            if (payloadLeft == 0) {
                frameRead();
            }
        }

        private void frameRead() {
            firstFrameRead = true;
            if (blockOpen && blockEnds) {
                blockOpen = false;
                blockEnds = false;
            }
        }

        private boolean headOpen() {
            return !firstFrameRead || blockOpen;
        }

        private long headDeadline() {
            return (firstFrameRead ? blockStarted : awaitingSince) + headNanos;
        }

        private void check() {
            if (lost || !ctx.channel().isActive() || !headOpen()) {
                return; // armed again by the next read that leaves something unfinished
            }
            long deadline = headDeadline();
            if (System.nanoTime() - deadline >= 0) {
                timedOut(deadline - headNanos);
            } else {
                timer.arm(deadline);
            }
        }

        private void timedOut(long started) {
            lost = true;
            metrics.recordRequest(EdgeMetrics.NO_ZONE, HttpResponseStatus.REQUEST_TIMEOUT.code(), started);
            Channel channel = ctx.channel();
            ChannelFuture goAway = channel.pipeline().get(Http2FrameCodec.class) == null
                    ? ctx.newSucceededFuture()
                    // From the tail, through the codec, which sets the last stream id it processed.
                    : channel.writeAndFlush(Http2IdleClock.goAwayFrame("request header timeout"));
            // Closed from here, below the codec: its graceful close would wait for open streams.
            goAway.addListener(sent -> ctx.close());
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /** Hears of an h2c upgrade on a cleartext HTTP/1.1 connection: the preface follows the 101. */
    private final class UpgradeListener extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent) {
                ChannelPipeline pipeline = ctx.pipeline();
                pipeline.remove(this);
                // The first request's frames handler may still be there (it leaves after this read): replace it.
                if (pipeline.get(FRAMES_HANDLER) != null) {
                    pipeline.remove(FRAMES_HANDLER);
                }
                addFrames(pipeline, new Frames(System.nanoTime()).upgraded());
            } else if (evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
                ctx.pipeline().remove(this); // prior knowledge: the frames handler saw the preface itself
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Watches one HTTP/2 request body for pauses; installed when its headers left the stream open. */
    private final class StreamBody extends ChannelDuplexHandler {

        private final Http2StreamChannel stream;
        private final BodyPauseClock clock = new BodyPauseClock(bodyTimeout.toNanos());
        private ChannelHandlerContext ctx;
        private DeadlineTimer timer;
        private boolean over;

        StreamBody(Http2StreamChannel stream) {
            this.stream = stream;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.timer = new DeadlineTimer(ctx.executor(), this::check);
            clock.read(System.nanoTime());
            timer.arm(clock.deadline());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!over && msg instanceof HttpContent) {
                clock.read(System.nanoTime());
                if (msg instanceof LastHttpContent) {
                    end(); // the body is whole
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
                    && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
                end(); // the response is whole: what the visitor still sends concerns no one
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            end();
        }

        private void check() {
            if (over || !ctx.channel().isActive()) {
                return;
            }
            if (clock.expired(System.nanoTime(), edgeReading())) {
                end();
                // Into the stream's inbound side: the proxy's origin request fails with it and answers 408.
                ctx.fireExceptionCaught(new RequestBodyTimeoutException(bodyTimeout));
            } else {
                timer.arm(clock.deadline());
            }
        }

        /**
         * Whether the visitor may send now: the stream is being read, and neither the connection's nor the
         * stream's receive window is used up (the edge returns window only as it consumes).
         */
        private boolean edgeReading() {
            if (!stream.config().isAutoRead()) {
                return false;
            }
            Http2FrameCodec codec = stream.parent().pipeline().get(Http2FrameCodec.class);
            if (codec == null) {
                return true;
            }
            Http2Connection connection = codec.connection();
            Http2LocalFlowController flow = connection.local().flowController();
            Http2Stream own = connection.stream(stream.stream().id());
            return flow.windowSize(connection.connectionStream()) > 0 && (own == null || flow.windowSize(own) > 0);
        }

        private void end() {
            over = true;
            if (timer != null) {
                timer.cancel();
            }
        }
    }
}
