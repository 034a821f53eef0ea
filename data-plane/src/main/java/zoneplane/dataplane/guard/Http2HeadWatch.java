package zoneplane.dataplane.guard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import reactor.netty.NettyPipeline;
import zoneplane.dataplane.management.EdgeMetrics;

/**
 * The head half of {@link Http2SlowClientGuard}: follows one connection's HTTP/2 frames by their 9-byte
 * headers, skipping payloads, to know when the preface and first frame are still due and when a header
 * block is open, and ends a connection whose head is late with GOAWAY. It also starts the connection's
 * {@link Http2IdleClock} and {@link IncompleteHttp2RequestGuard} once the HTTP/2 pipeline is built. An
 * HTTP/1.1 connection loses the watch at its first byte or at the end of its handshake. Every method runs
 * on the connection's event loop.
 */
final class Http2HeadWatch extends ChannelInboundHandlerAdapter {

    static final String NAME = "zoneplane.h2Frames";
    static final String UPGRADE_HANDLER = "zoneplane.h2Upgrade";

    private static final byte[] PREFACE = ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf());

    /**
     * What every watch of a node shares.
     *
     * @param http2Connections where each connection is added once it speaks HTTP/2
     */
    record Limits(long headNanos, long keepAliveNanos, EdgeMetrics metrics, ChannelGroup http2Connections) {}

    private final Limits limits;
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

    Http2HeadWatch(Limits limits, long awaitingSince) {
        this.limits = limits;
        this.awaitingSince = awaitingSince;
    }

    /**
     * Watches a new connection's first bytes for the HTTP/2 preface (cleartext), or its TLS handshake for
     * ALPN's choice, and an h2c upgrade.
     */
    static void install(ChannelPipeline pipeline, Limits limits) {
        boolean tls = pipeline.get(NettyPipeline.SslHandler) != null;
        // Cleartext: prior knowledge means the preface opens the connection. TLS: the clock starts with ALPN's h2.
        addTo(pipeline, new Http2HeadWatch(limits, System.nanoTime()));
        if (!tls && pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, UPGRADE_HANDLER, new UpgradeListener(limits));
        }
    }

    /** Right after the bytes are clear: after TLS, else after a PROXY protocol header, else first. */
    private static void addTo(ChannelPipeline pipeline, Http2HeadWatch watch) {
        if (pipeline.get(NettyPipeline.SslHandler) != null) {
            pipeline.addAfter(NettyPipeline.SslHandler, NAME, watch);
        } else if (pipeline.get(NettyPipeline.ProxyProtocolReader) != null) {
            pipeline.addAfter(NettyPipeline.ProxyProtocolReader, NAME, watch);
        } else {
            pipeline.addFirst(NAME, watch);
        }
    }

    /** An h2c upgrade: the preface is due from now. */
    Http2HeadWatch upgraded() {
        http2 = true;
        return this;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timer = new DeadlineTimer(ctx.executor(), this::check);
        if (http2) {
            timer.arm(awaitingSince + limits.headNanos());
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
                timer.arm(awaitingSince + limits.headNanos());
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
            idleClockStarted = Http2IdleClock.start(ctx.channel(), limits.keepAliveNanos());
            if (idleClockStarted) {
                limits.http2Connections().add(ctx.channel());
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
        return (firstFrameRead ? blockStarted : awaitingSince) + limits.headNanos();
    }

    private void check() {
        if (lost || !ctx.channel().isActive() || !headOpen()) {
            return; // armed again by the next read that leaves something unfinished
        }
        long deadline = headDeadline();
        if (System.nanoTime() - deadline >= 0) {
            timedOut(deadline - limits.headNanos());
        } else {
            timer.arm(deadline);
        }
    }

    private void timedOut(long started) {
        lost = true;
        limits.metrics().recordRequest(EdgeMetrics.NO_ZONE, HttpResponseStatus.REQUEST_TIMEOUT.code(), started);
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

    /** Hears of an h2c upgrade on a cleartext HTTP/1.1 connection: the preface follows the 101. */
    private static final class UpgradeListener extends ChannelInboundHandlerAdapter {

        private final Limits limits;

        UpgradeListener(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent) {
                ChannelPipeline pipeline = ctx.pipeline();
                pipeline.remove(this);
                // The first request's frames handler may still be there (it leaves after this read): replace it.
                if (pipeline.get(NAME) != null) {
                    pipeline.remove(NAME);
                }
                addTo(pipeline, new Http2HeadWatch(limits, System.nanoTime()).upgraded());
            } else if (evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
                ctx.pipeline().remove(this); // prior knowledge: the frames handler saw the preface itself
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
