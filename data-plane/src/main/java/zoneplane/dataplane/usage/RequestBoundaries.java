package zoneplane.dataplane.usage;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import reactor.netty.NettyPipeline;

/**
 * Where each HTTP/1.x request ends in a connection's received bytes, so that pipelined requests (several
 * in one TCP read) each count their own bytes rather than the first taking the whole read. A handler just
 * before the HTTP codec watches the buffer it hands the codec; one just after it notes, when a request's
 * last content comes out, how much of that buffer the codec has not consumed yet: the request ended
 * that many bytes before everything received so far.
 *
 * <p>That is exact while the codec holds no bytes from an earlier read, when it decodes straight from
 * the buffer given (the usual case: whole requests per read). Once a read left it a partial message,
 * its own buffer is no longer visible and the connection's later requests fall back to what they did
 * without this class: an exchange takes everything received since the previous one ended. Event loop only.
 */
final class RequestBoundaries {

    static final String INPUT = "zoneplane.requestBoundaries.input";
    static final String OUTPUT = "zoneplane.requestBoundaries.output";

    private final WireCounter counter;
    /** Received-byte offsets where requests ended, with the request's sequence number. */
    private final ArrayDeque<long[]> ends = new ArrayDeque<>();
    private long requestsEnded;
    private long exchangesTaken;
    private ByteBuf reading;
    /** Whether the codec decodes straight from {@link #reading} (it held nothing from an earlier read). */
    private boolean exact = true;

    private RequestBoundaries(WireCounter counter) {
        this.counter = counter;
    }

    /** Installs the pair around the HTTP/1.x codec of {@code pipeline}, counting against {@code counter}. */
    static RequestBoundaries install(ChannelPipeline pipeline, WireCounter counter) {
        String codec = pipeline.get(NettyPipeline.HttpCodec) != null ? NettyPipeline.HttpCodec
                : pipeline.context(HttpServerCodec.class) != null ? pipeline.context(HttpServerCodec.class).name() : null;
        if (codec == null || pipeline.get(INPUT) != null) {
            return null;
        }
        RequestBoundaries boundaries = new RequestBoundaries(counter);
        pipeline.addBefore(codec, INPUT, boundaries.new Input());
        pipeline.addAfter(codec, OUTPUT, boundaries.new Output());
        return boundaries;
    }

    /**
     * Where the next exchange's request ended (a received-byte offset), or -1 when not known (the
     * request has not ended, or ended where this class could not see): the caller takes all received.
     */
    long nextExchangeEnd() {
        long exchange = exchangesTaken++;
        while (!ends.isEmpty() && ends.peekFirst()[1] < exchange) {
            ends.pollFirst(); // a request whose exchange ended before its last byte was read
        }
        long[] end = ends.peekFirst();
        if (end == null || end[1] != exchange) {
            return -1;
        }
        ends.pollFirst();
        return end[0];
    }

    private final class Input extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            reading = buf;
            try {
                ctx.fireChannelRead(msg);
            } finally {
                // Fully consumed, the codec released the buffer; a readable one is kept for the next read.
                if (exact && buf.refCnt() > 0 && buf.isReadable()) {
                    exact = false;
                }
                reading = null;
            }
        }
    }

    private final class Output extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                long request = requestsEnded++;
                if (exact && reading != null && reading.refCnt() > 0) {
                    ends.addLast(new long[] {counter.received() - reading.readableBytes(), request});
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
