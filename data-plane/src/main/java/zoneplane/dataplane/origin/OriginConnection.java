package zoneplane.dataplane.origin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an origin connection: hands what the HTTP codec decoded to the call using the
 * connection, if any, and looks after the connection while it idles in the pool (an origin that
 * closes it or sends something unasked is simply dropped from the pool).
 */
final class OriginConnection extends ChannelDuplexHandler {

    private final OriginPool pool;
    private OriginCall call;

    OriginConnection(OriginPool pool) {
        this.pool = pool;
    }

    void begin(OriginCall call) {
        this.call = call;
    }

    void end() {
        this.call = null;
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            IdleState state = ((IdleStateEvent) evt).state();
            OriginCall current = call;
            if (current == null) {
                if (state == IdleState.ALL_IDLE) {
                    ctx.close(); // idle in the pool for too long
                }
            } else if (state == IdleState.READER_IDLE) {
                current.readTimedOut(ReadTimeoutException.INSTANCE);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
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
