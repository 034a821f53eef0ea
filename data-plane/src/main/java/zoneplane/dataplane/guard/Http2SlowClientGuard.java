package zoneplane.dataplane.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
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
 * <p>The head is watched on the connection's bytes (after TLS and any PROXY header) by
 * {@link Http2HeadWatch}, following frame boundaries without decoding: Netty's codec tells no one that a
 * header block has started; each body by {@link Http2StreamBodyWatch}. Each connection
 * and each guarded stream has at most one timer, armed when something is left unfinished and re-armed by
 * itself while it still is. Every method runs on the connection's event loop.
 */
public final class Http2SlowClientGuard implements ConnectionSetup {

    private final Duration headTimeout;
    private final Duration bodyTimeout;
    private final Duration keepAliveTimeout;
    private final Http2HeadWatch.Limits heads;

    /**
     * @param keepAliveTimeout how long a connection may stay without an open stream before the edge closes it
     * @param http2Connections where each connection is added once it speaks HTTP/2 (a closed one leaves by
     *     itself), so that a draining node can tell them all with GOAWAY
     */
    public Http2SlowClientGuard(Duration headTimeout, Duration bodyTimeout, Duration keepAliveTimeout,
            EdgeMetrics metrics, ChannelGroup http2Connections) {
        this.headTimeout = headTimeout;
        this.bodyTimeout = bodyTimeout;
        this.keepAliveTimeout = keepAliveTimeout;
        this.heads = new Http2HeadWatch.Limits(headTimeout.toNanos(), keepAliveTimeout.toNanos(), metrics,
                http2Connections);
    }

    /**
     * For {@code HttpServer.doOnChannelInit}: watches a new connection's first bytes for the HTTP/2 preface
     * (cleartext), or its TLS handshake for ALPN's choice, and an h2c upgrade; an HTTP/1.1 connection loses
     * the watch at its first byte or at the end of its handshake.
     */
    @Override
    public void install(Channel channel) {
        Http2HeadWatch.install(channel.pipeline(), heads);
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
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null && pipeline.get(Http2StreamBodyWatch.NAME) == null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, Http2StreamBodyWatch.NAME,
                    new Http2StreamBodyWatch(stream, bodyTimeout));
        }
    }

    @Override
    public String toString() {
        return "Http2SlowClientGuard{head=" + headTimeout + ", bodyGap=" + bodyTimeout + ", keepAlive="
                + keepAliveTimeout + "}";
    }
}
