package zoneplane.dataplane.origin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an origin connection: hands what the HTTP codec decoded to the call using the
 * connection, if any, and looks after the connection while it idles in the pool (an origin that
 * closes it or sends something unasked is simply dropped from the pool).
 *
 * <p>It also keeps the connection's two clocks: while a call's request is written and its response
 * awaited, at most {@code responseTimeout} may pass between reads (then the call fails with a read
 * timeout, and the visitor gets 504); while idle in the pool, the connection is closed after
 * {@code maxIdle}. One timer at most per connection, armed lazily and re-armed when it fires for what
 * is still due, so a busy connection schedules nothing per request. (Netty's IdleStateHandler would
 * instead add a listener to every write.)
 */
final class OriginConnection extends ChannelDuplexHandler {

    private final OriginPool pool;
    private final OriginResponseDecoder decoder;
    private final long responseTimeoutNanos;
    private final long maxIdleNanos;
    private ChannelHandlerContext ctx;
    private OriginCall call;
    private boolean awaitingResponse;
    private long lastRead;
    private long idleSince;
    private ScheduledFuture<?> timer;
    private long timerAt;

    OriginConnection(OriginPool pool, OriginResponseDecoder decoder, long responseTimeoutNanos, long maxIdleNanos) {
        this.pool = pool;
        this.decoder = decoder;
        this.responseTimeoutNanos = responseTimeoutNanos;
        this.maxIdleNanos = maxIdleNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    void begin(OriginCall call, HttpMethod method) {
        this.call = call;
        awaitingResponse = false;
        decoder.expect(method);
    }

    /** Whether bytes beyond the response just ended have arrived (see {@link OriginResponseDecoder}). */
    boolean bytesBeyondResponse() {
        return decoder.bytesBeyondMessage();
    }

    /** The call's request is written: the response clock starts. */
    void requestWritten() {
        awaitingResponse = true;
        lastRead = System.nanoTime();
        arm(lastRead + responseTimeoutNanos);
    }

    /** The call is over; if the connection goes back to the pool, its idle clock starts. */
    void end(boolean pooled) {
        this.call = null;
        awaitingResponse = false;
        if (pooled) {
            idleSince = System.nanoTime();
            arm(idleSince + maxIdleNanos);
        }
    }

    private void arm(long deadline) {
        if (timer != null) {
            if (timerAt <= deadline) {
                return; // fires earlier and re-arms for what is due then
            }
            timer.cancel(false);
        }
        timerAt = deadline;
        timer = ctx.executor().schedule(this::check, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        OriginCall current = call;
        if (current != null) {
            if (!awaitingResponse) {
                return; // still writing the request; requestWritten() arms again
            }
            if (now - lastRead >= responseTimeoutNanos) {
                current.readTimedOut(ReadTimeoutException.INSTANCE);
            } else {
                arm(lastRead + responseTimeoutNanos);
            }
        } else if (now - idleSince >= maxIdleNanos) {
            ctx.close(); // idle in the pool for too long
        } else {
            arm(idleSince + maxIdleNanos);
        }
    }

    /**
     * Sits before the response decoder and closes the connection when any byte arrives while no call
     * uses it (idle in the pool): an answer nobody asked for, even a part of one the decoder would keep
     * and prepend to the next visitor's response.
     */
    ChannelInboundHandlerAdapter unaskedBytesWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext watchCtx, Object msg) {
                if (call == null) {
                    ReferenceCountUtil.release(msg);
                    watchCtx.close();
                    return;
                }
                watchCtx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        OriginCall current = call;
        if (current == null || !(msg instanceof HttpObject)) {
            // Nothing asked for it (a late byte on an idle connection): the connection is not reusable.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (awaitingResponse) {
            lastRead = System.nanoTime();
        }
        HttpObject object = (HttpObject) msg;
        if (object.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            current.failed(new OriginProtocolException(object.decoderResult().cause()), false);
            return;
        }
        if (object instanceof HttpResponse) {
            current.responseHead((HttpResponse) object);
        }
        if (object instanceof HttpContent) {
            current.responseContent((HttpContent) object);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        OriginCall current = call;
        if (current != null) {
            current.connectionClosed();
        } else {
            pool.forget(ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        OriginCall current = call;
        if (current != null && ctx.channel().isWritable()) {
            current.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OriginCall current = call;
        if (current != null) {
            // A reset on a reused connection before any answer is the idle-close race: retryable.
            current.failed(cause, true);
        }
        ctx.close();
    }
}
