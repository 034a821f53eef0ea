package zoneplane.dataplane.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;

/**
 * Guards an HTTP/2 connection, once Reactor Netty has built its pipeline, against request header blocks
 * Netty's HTTP/2 → HTTP/1.1 conversion cannot turn into a request (pseudo-header fields but no
 * {@code :method} or {@code :path}): the conversion would throw before any request exists, and the stream
 * would stay open, unanswered. Such a stream is reset with {@code PROTOCOL_ERROR} instead (RFC 9113
 * §8.1.1: a malformed request is a stream error); the frame never reaches the stream's pipeline. The
 * header rules for requests that do exist are {@code proxy.RequestFraming}'s.
 */
final class IncompleteHttp2RequestGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "zoneplane.incompleteHttp2Request";

    /** Installs the guard right after the connection's frame codec, once. */
    static void guard(Channel connection) {
        ChannelPipeline pipeline = connection.pipeline();
        ChannelHandlerContext codec = pipeline.context(Http2FrameCodec.class);
        if (codec != null && pipeline.get(NAME) == null) {
            pipeline.addAfter(codec.name(), NAME, new IncompleteHttp2RequestGuard());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame frame && incomplete(frame.headers())) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR).stream(frame.stream()));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** A request block (it has pseudo-header fields; trailers have none) without :method or :path. */
    private static boolean incomplete(Http2Headers headers) {
        boolean request = headers.method() != null || headers.path() != null || headers.scheme() != null
                || headers.authority() != null;
        return request && (headers.method() == null
                || (headers.path() == null && !HttpMethod.CONNECT.asciiName().contentEquals(headers.method())));
    }
}
