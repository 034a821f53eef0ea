package zoneplane.dataplane.guard;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.time.Duration;
import zoneplane.dataplane.errors.RequestBodyTimeoutException;

/**
 * The body half of {@link Http2SlowClientGuard}: watches one HTTP/2 request body for pauses longer than
 * the body timeout ({@link BodyPauseClock}); installed when its headers left the stream open. Runs on the
 * connection's event loop.
 */
final class Http2StreamBodyWatch extends ChannelDuplexHandler {

    static final String NAME = "zoneplane.h2StreamBody";


    private final Http2StreamChannel stream;
    private final Duration bodyTimeout;
    private final BodyPauseClock clock;
    private ChannelHandlerContext ctx;
    private DeadlineTimer timer;
    private boolean over;

    Http2StreamBodyWatch(Http2StreamChannel stream, Duration bodyTimeout) {
        this.stream = stream;
        this.bodyTimeout = bodyTimeout;
        this.clock = new BodyPauseClock(bodyTimeout.toNanos());
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
