package zoneplane.dataplane.usage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * Counts the bytes a visitor's connection reads and writes, on the connection's pipeline. {@link Connection}
 * sits just after TLS (or first in cleartext), so it counts HTTP/1.x bytes as they go to the socket,
 * headers and chunk framing included, and after upgrade a WebSocket's frames. An exchange takes what
 * was counted since the previous one ended ({@link #takeSent}, {@link #takeReceived}).
 *
 * <p>Plain {@code long}s: read and written on the connection's event loop only.
 */
public abstract class WireCounter extends ChannelDuplexHandler {

    public static final String NAME = "zoneplane.wireCounter";

    private long sent;
    private long received;
    private long sentMark;
    private long receivedMark;

    /** Bytes written to the visitor so far. */
    public final long sent() {
        return sent;
    }

    /** Bytes read from the visitor so far. */
    public final long received() {
        return received;
    }

    /** Bytes written since the last take. */
    final long takeSent() {
        long taken = sent - sentMark;
        sentMark = sent;
        return taken;
    }

    /** Bytes read since the last take: up to where this exchange's request ended when that is known. */
    final long takeReceived() {
        long end = exchangeEnd();
        if (end < receivedMark || end > received) {
            end = received;
        }
        long taken = end - receivedMark;
        receivedMark = end;
        return taken;
    }

    /** Where the exchange being taken ended in the received bytes, or -1 for "all received so far". */
    long exchangeEnd() {
        return -1;
    }

    /** Response body bytes written since the last take (as far as this counter tells them apart). */
    long takeBody() {
        return 0;
    }

    final void countSent(long bytes) {
        sent += bytes;
    }

    final void countReceived(long bytes) {
        received += bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        countReceived(inbound(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        countSent(outbound(msg));
        ctx.write(msg, promise);
    }

    abstract long inbound(Object msg);

    abstract long outbound(Object msg);

    /** The HTTP/1.x connection's bytes (its WebSocket frames after an upgrade, HTTP/2 frames after h2c). */
    static final class Connection extends WireCounter {
        private RequestBoundaries boundaries;

        /** Splits this connection's received bytes between its pipelined HTTP/1.x requests (see {@link RequestBoundaries}). */
        void splitRequests(ChannelPipeline pipeline) {
            if (boundaries == null) {
                boundaries = RequestBoundaries.install(pipeline, this);
            }
        }

        @Override
        long exchangeEnd() {
            return boundaries == null ? -1 : boundaries.nextExchangeEnd();
        }

        @Override
        long inbound(Object msg) {
            return size(msg);
        }

        @Override
        long outbound(Object msg) {
            return size(msg);
        }

        private static long size(Object msg) {
            if (msg instanceof ByteBuf buf) {
                return buf.readableBytes();
            }
            if (msg instanceof ByteBufHolder holder) {
                return holder.content().readableBytes();
            }
            return msg instanceof FileRegion region ? region.count() - region.transferred() : 0;
        }
    }
}
