package zoneplane.dataplane.guard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import zoneplane.dataplane.errors.MalformedBodyException;

/**
 * The body half of the request framing rules ({@code proxy.RequestFraming}) for Reactor Netty's HTTP/1.1
 * path (the plain path checks in {@code Http1Exchange#requestContent}): a body part Netty's decoder could
 * not read (a bad chunk size, extension, terminator or trailer) must never end the body as if whole. It is
 * dropped and {@link MalformedBodyException} is raised into the request's inbound stream instead, so the
 * origin request is aborted and the visitor gets 400. Sits just before Reactor Netty's HTTP traffic handler.
 */
public final class BrokenBodyGuard extends ChannelInboundHandlerAdapter {

    public static final String NAME = "zoneplane.brokenBody";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpContent content && !(msg instanceof HttpRequest)
                && content.decoderResult().isFailure()) {
            Throwable cause = content.decoderResult().cause();
            content.release();
            ctx.fireExceptionCaught(new MalformedBodyException(cause));
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
