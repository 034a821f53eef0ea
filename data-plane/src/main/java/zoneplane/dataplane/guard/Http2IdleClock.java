package zoneplane.dataplane.guard;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Stream;
import java.nio.charset.StandardCharsets;
import reactor.netty.NettyPipeline;

/**
 * The keep-alive timeout of one HTTP/2 connection: it runs only while the connection has no open stream
 * (open or half-closed, as Netty's codec counts them), from when it chose HTTP/2 or its last stream closed,
 * and then ends the connection with GOAWAY ({@code NO_ERROR}, debug data {@code idle}) and a close.
 * Connection-level frames (PING, SETTINGS, WINDOW_UPDATE) are not activity; an open stream is, however
 * quiet (a request waiting for a slow origin, a gRPC stream between messages): its own bounds are the
 * origin response timeout and the body timeout.
 *
 * <p>It replaces Reactor Netty's idle handler on the connection, which counts any frame either way: that
 * handler closed a connection under a stream that was quietly waiting for its origin, and never closed one
 * that a visitor kept busy with PINGs. HTTP/1.1 connections keep Reactor Netty's handler and
 * {@link SlowClientGuard}'s keep-alive timer, which already run only between requests.
 *
 * <p>One timer per connection, armed when the last stream closes (not per stream). Every method runs on the
 * connection's event loop.
 */
public final class Http2IdleClock extends Http2ConnectionAdapter {

    private final Channel channel;
    private final Http2Connection connection;
    private final long keepAliveNanos;
    private final DeadlineTimer timer;
    private long idleSince;

    private Http2IdleClock(Channel channel, Http2Connection connection, long keepAliveNanos) {
        this.channel = channel;
        this.connection = connection;
        this.keepAliveNanos = keepAliveNanos;
        this.timer = new DeadlineTimer(channel.eventLoop(), this::check);
    }

    /**
     * Starts the clock on {@code channel} if Reactor Netty has built its HTTP/2 pipeline (the frame codec is
     * there); returns whether it did. Call once the connection is known to speak HTTP/2, until it returns true.
     */
    static boolean start(Channel channel, long keepAliveNanos) {
        ChannelPipeline pipeline = channel.pipeline();
        Http2FrameCodec codec = pipeline.get(Http2FrameCodec.class);
        if (codec == null) {
            return false;
        }
        if (pipeline.get(NettyPipeline.IdleTimeoutHandler) != null) {
            pipeline.remove(NettyPipeline.IdleTimeoutHandler);
        }
        Http2IdleClock clock = new Http2IdleClock(channel, codec.connection(), keepAliveNanos);
        codec.connection().addListener(clock);
        channel.closeFuture().addListener(closed -> clock.timer.cancel());
        if (codec.connection().numActiveStreams() == 0) {
            clock.becameIdle();
        }
        return true;
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
        if (connection.numActiveStreams() == 0) {
            becameIdle();
        }
    }

    private void becameIdle() {
        idleSince = System.nanoTime();
        timer.arm(idleSince + keepAliveNanos);
    }

    private void check() {
        if (!channel.isActive() || connection.numActiveStreams() > 0) {
            return; // armed again when the last open stream closes
        }
        long deadline = idleSince + keepAliveNanos;
        if (System.nanoTime() - deadline < 0) {
            timer.arm(deadline);
            return;
        }
        // From the tail, through the codec, which sets the last stream id it processed; no stream is open,
        // so the codec's graceful close that follows closes at once.
        channel.writeAndFlush(goAwayFrame("idle")).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Tells an HTTP/2 visitor connection that the node is going away (GOAWAY {@code NO_ERROR}, debug data
     * {@code draining}): streams it has opened may finish, new requests go to another connection. The node
     * closes the connection when it stops. Any thread.
     */
    public static void goAway(Channel channel) {
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(goAwayFrame("draining"));
            }
        });
    }

    /**
     * The GOAWAY the edge sends when it ends an HTTP/2 connection on its own terms (idle, draining, a late
     * header block): {@code NO_ERROR}, with why as debug data. Written from the pipeline's tail, it passes the
     * frame codec, which fills in the last stream id it processed.
     */
    static Http2GoAwayFrame goAwayFrame(String why) {
        return new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR, Unpooled.copiedBuffer(why, StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "Http2IdleClock{keepAlive=" + keepAliveNanos / 1_000_000 + "ms, " + channel + "}";
    }
}
