package zoneplane.dataplane.guard;

import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import reactor.netty.NettyPipeline;
import zoneplane.dataplane.errors.RequestBodyTimeoutException;
import zoneplane.dataplane.headers.RayIds;
import zoneplane.dataplane.management.EdgeMetrics;

/**
 * Bounds how slowly a visitor may send a request on an HTTP/1.1 connection (slowloris). Reactor Netty's
 * {@code idleTimeout} is reset by every byte, and its {@code readTimeout}/{@code requestTimeout} start only
 * once the head is decoded and close without an answer, so neither stops a client that trickles bytes.
 *
 * <ul>
 *   <li>Head: a request line and headers must arrive within {@code ZONEPLANE_REQUEST_HEADER_TIMEOUT} from
 *       their first byte (a new connection: from when it opened). Otherwise the edge writes 408 with its
 *       error page and closes; no request ever reached the proxy, so no origin is contacted.</li>
 *   <li>Body: between two reads of a request body at most {@code ZONEPLANE_REQUEST_BODY_TIMEOUT} may pass
 *       ({@link BodyPauseClock}, the rule HTTP/2 streams share). Otherwise a
 *       {@link RequestBodyTimeoutException} is raised into the request's inbound stream: the origin request
 *       fails and the proxy answers 408, or resets once the response has started. Time the edge itself
 *       stops reading (back-pressure from a slow origin) does not count.</li>
 *   <li>Keep-alive: a connection waiting for its next request is closed after the keep-alive timeout.
 *       Reactor Netty's own idle handler does this by being added and removed around every request; the
 *       plain HTTP/1.1 path ({@code proxy.VisitorConnection}) removes it and relies on this instead.</li>
 * </ul>
 *
 * <p>Two handlers share one per-connection {@link Http1Watch}: one sees raw bytes (first in the pipeline,
 * after TLS), one sees decoded requests and written responses (just before Reactor Netty's HTTP traffic
 * handler). A connection has at most one timer, armed at the end of a read that left a head or a body
 * unfinished, or when the connection turns idle and none is armed; a firing timer re-arms itself for
 * what its state still needs. So a keep-alive connection serving whole requests schedules one timer
 * per keep-alive period, not one per request.
 *
 * <p>A connection that is or becomes HTTP/2 (h2 by ALPN, h2c prior knowledge or upgrade) is left to
 * {@link Http2SlowClientGuard}, which applies the same settings to its preface, header blocks and stream
 * bodies; upgraded WebSockets are left alone.
 */
public final class SlowClientGuard {

    private static final String BYTES_HANDLER = "zoneplane.slowClientBytes";
    private static final String MESSAGES_HANDLER = "zoneplane.slowClientMessages";

    private final Http1Watch.Limits limits;

    /**
     * @param keepAliveTimeout how long a connection may wait between requests before the edge closes it
     */
    public SlowClientGuard(Duration headTimeout, Duration bodyTimeout, Duration keepAliveTimeout, String nodeId,
            EdgeMetrics metrics) {
        this.limits = new Http1Watch.Limits(headTimeout.toNanos(), keepAliveTimeout.toNanos(), bodyTimeout,
                new RayIds(nodeId), metrics);
    }

    /** Whether the connection whose pipeline this is is guarded already. */
    public boolean guards(ChannelPipeline pipeline) {
        return pipeline.get(MESSAGES_HANDLER) != null;
    }

    /** Guards the HTTP/1.1 connection whose pipeline this is, from now on (see {@code proxy.Http1Connections}). */
    public void guard(ChannelPipeline pipeline) {
        if (guards(pipeline)) {
            return;
        }
        Http1Watch watch = new Http1Watch(pipeline.channel().eventLoop(), limits);
        if (pipeline.get(NettyPipeline.SslHandler) != null) {
            pipeline.addAfter(NettyPipeline.SslHandler, BYTES_HANDLER, watch.bytes);
        } else {
            pipeline.addFirst(BYTES_HANDLER, watch.bytes);
        }
        pipeline.addBefore(NettyPipeline.HttpTrafficHandler, MESSAGES_HANDLER, watch.messages);
        watch.connectionOpened();
    }

    @Override
    public String toString() {
        return "SlowClientGuard{head=" + Duration.ofNanos(limits.headNanos()) + ", bodyGap=" + limits.bodyTimeout()
                + ", keepAlive=" + Duration.ofNanos(limits.keepAliveNanos()) + "}";
    }
}
